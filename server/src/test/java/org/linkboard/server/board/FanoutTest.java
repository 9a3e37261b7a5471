package org.linkboard.server.board;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FanoutTest {

    private final EventExecutor loopA = new DefaultEventExecutor();
    private final EventExecutor loopB = new DefaultEventExecutor();

    @AfterEach
    void stopLoops() {
        loopA.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aFrameIsEncodedOncePerLoopAndItsBytesSharedByThatLoopsSubscribers() throws Exception {
        byte[] op = "{\"type\":\"op\",\"seq\":1}".getBytes(StandardCharsets.UTF_8);
        WireRecorder a1 = new WireRecorder("a1", loopA);
        WireRecorder a2 = new WireRecorder("a2", loopA);
        WireRecorder b1 = new WireRecorder("b1", loopB);
        Fanout fanout = new Fanout(1);
        for (WireRecorder s : List.of(a1, a2, b1)) fanout.add(s, op);

        fanout.send();

        ByteBuf onA1 = a1.frame.get(5, TimeUnit.SECONDS);
        ByteBuf onA2 = a2.frame.get(5, TimeUnit.SECONDS);
        ByteBuf onB1 = b1.frame.get(5, TimeUnit.SECONDS);
        assertSame(onA1, onA2, "one encoding for both sockets of loop A");
        assertNotSame(onA1, onB1, "loop B encodes its own");
        assertTrue(a1.onItsLoop && a2.onItsLoop && b1.onItsLoop, "written by each subscriber's own loop");
        assertEquals(2 + op.length, onB1.capacity(), "a 2-byte header and the payload");
    }

    /** Remembers which buffer its frame's wire bytes came from, then lets it go as a socket would. */
    private static final class WireRecorder extends FakeSubscriber {
        final CompletableFuture<ByteBuf> frame = new CompletableFuture<>();
        volatile boolean onItsLoop;

        WireRecorder(String id, EventExecutor loop) {
            super(id, loop);
        }

        @Override
        public void deliver(byte[] utf8Json) {
            frame.completeExceptionally(new AssertionError("encoded alone, not shared"));
        }

        @Override
        public void deliverAll(List<byte[]> frames, WireFrames wire) {
            onItsLoop = loop.inEventLoop();
            ByteBuf view = wire.share(frames.get(0));
            frame.complete(view.unwrap());
            view.release();
        }
    }
}
