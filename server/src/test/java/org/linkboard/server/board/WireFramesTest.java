package org.linkboard.server.board;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class WireFramesTest {

    @Test
    void encodesExactlyTheBytesNettysEncoderWritesForEveryLengthForm() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 300_000}) {
            byte[] payload = payload(length);
            ByteBuf ours = WireFrames.encode(payload);
            ByteBuf netty = nettyEncoded(payload);
            try {
                assertEquals(netty, ours, "frame of a " + length + "-byte payload");
            } finally {
                ours.release();
                netty.release();
            }
        }
    }

    @Test
    void aClientDecoderReadsTheSharedBytesAsTheSameTextMessage() {
        byte[] payload = "{\"type\":\"op\",\"seq\":7}".getBytes(StandardCharsets.UTF_8);
        WireFrames wire = new WireFrames(batchOf(payload));
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
        try {
            client.writeInbound(wire.share(0));
            client.writeInbound(wire.share(0));
            for (int i = 0; i < 2; i++) {
                TextWebSocketFrame frame = client.readInbound();
                assertEquals("{\"type\":\"op\",\"seq\":7}", frame.text());
                frame.release();
            }
        } finally {
            wire.release();
            client.finishAndReleaseAll();
        }
    }

    @Test
    void theFrameIsFreedOnceTheTaskAndEveryRecipientReleasedIt() {
        byte[] payload = payload(10);
        WireFrames wire = new WireFrames(batchOf(payload));
        ByteBuf first = wire.share(0);
        ByteBuf second = wire.share(0);
        ByteBuf frame = first.unwrap();
        assertSame(frame, second.unwrap(), "encoded once");
        assertEquals(3, frame.refCnt(), "one reference for the task, one per recipient");

        wire.release();
        first.release();
        assertEquals(1, frame.refCnt(), "still held by the recipient not yet written");
        second.release();
        assertEquals(0, frame.refCnt());
    }

    private static Fanout batchOf(byte[] frame) {
        Fanout batch = new Fanout(1);
        batch.toAll(frame);
        return batch;
    }

    private static byte[] payload(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) ('a' + i % 26);
        return b;
    }

    private static ByteBuf nettyEncoded(byte[] payload) {
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        server.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = server.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        server.finishAndReleaseAll();
        return all;
    }
}
