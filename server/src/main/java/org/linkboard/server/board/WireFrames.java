package org.linkboard.server.board;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.IdentityHashMap;

/**
 * Frames of one fan-out task encoded once, as WebSocket wire bytes, for every socket of the loop
 * that writes them. Server frames are never masked (RFC 6455 §5.1), so every recipient of an op
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

    private final IdentityHashMap<byte[], ByteBuf> encoded = new IdentityHashMap<>();

    /** A retained view of the frame's wire bytes: the caller writes it (the channel releases it) or releases it. */
    public ByteBuf share(byte[] utf8Json) {
        ByteBuf frame = encoded.get(utf8Json);
        if (frame == null) {
            frame = encode(utf8Json);
            encoded.put(utf8Json, frame);
        }
        return frame.retainedDuplicate();
    }

    /** Drops this task's own reference to each frame; duplicates still being written keep theirs. */
    public void release() {
        for (ByteBuf frame : encoded.values()) frame.release();
        encoded.clear();
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
