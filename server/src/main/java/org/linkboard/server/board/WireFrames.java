package org.linkboard.server.board;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The frames of one {@link Fanout} as WebSocket wire bytes, each encoded once per writer-loop task
 * for every socket of that loop. Server frames are never masked (RFC 6455 §5.1), so every recipient of an op
 * gets the same bytes: one pooled direct buffer per frame, and a {@linkplain ByteBuf#retainedDuplicate()
 * duplicate} per recipient, instead of a frame object, an encoder pass and two copies (into the
 * frame, then into direct memory for the socket) per recipient.
 *
 * <p>The bytes are a complete text frame with FIN set and RSV1 clear, so they bypass Netty's
 * WebSocket encoders (which handle {@code WebSocketFrame} messages only); with permessage-deflate
 * negotiated they are simply an uncompressed message, which RFC 7692 §6 allows.
 *
 * <p>Threading: confined to the loop task that created it, which calls {@link #release()} at its end.
 */
public final class WireFrames {

    private final Fanout batch;
    /** Per frame of the batch, its encoding once a recipient asked for it. */
    private final ByteBuf[] encoded;

    WireFrames(Fanout batch) {
        this.batch = batch;
        this.encoded = new ByteBuf[batch.size()];
    }

    /** A retained view of frame {@code i}'s wire bytes: the caller writes it (the channel releases it) or releases it. */
    public ByteBuf share(int i) {
        ByteBuf frame = encoded[i];
        if (frame == null) {
            frame = encode(batch.frame(i));
            encoded[i] = frame;
        }
        return frame.retainedDuplicate();
    }

    /** Drops this task's own reference to each frame; duplicates still being written keep theirs. */
    public void release() {
        for (int i = 0; i < encoded.length; i++) {
            if (encoded[i] != null) {
                encoded[i].release();
                encoded[i] = null;
            }
        }
    }

    /** A final, unmasked text frame carrying {@code payload}. */
    static ByteBuf encode(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(header + n);
        frame.writeByte(0x81); // FIN, opcode 1 (text)
        if (n < 126) {
            frame.writeByte(n);
        } else if (n <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(n);
        } else {
            frame.writeByte(127);
            frame.writeLong(n);
        }
        frame.writeBytes(payload);
        return frame;
    }
}
