package org.linkboard.server.board;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    /** Loopless subscribers: frames are handed over on the sending thread. */
    private final Recorder sender = new Recorder("sender");
    private final Recorder reader = new Recorder("reader");

    @AfterEach
    void stopLoops() {
        loopA.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aFrameIsEncodedOncePerLoopAndItsBytesSharedByThatLoopsSubscribers() throws Exception {
        byte[] op = utf8("{\"type\":\"op\",\"seq\":1}");
        WireRecorder a1 = new WireRecorder("a1", loopA);
        WireRecorder a2 = new WireRecorder("a2", loopA);
        WireRecorder b1 = new WireRecorder("b1", loopB);
        Fanout fanout = new Fanout(1);
        fanout.toAll(op);

        sendTo(fanout, a1, a2, b1);

        ByteBuf onA1 = a1.frame.get(5, TimeUnit.SECONDS);
        ByteBuf onA2 = a2.frame.get(5, TimeUnit.SECONDS);
        ByteBuf onB1 = b1.frame.get(5, TimeUnit.SECONDS);
        assertSame(onA1, onA2, "one encoding for both sockets of loop A");
        assertNotSame(onA1, onB1, "loop B encodes its own");
        assertTrue(a1.onItsLoop && a2.onItsLoop && b1.onItsLoop, "written by each subscriber's own loop");
        assertEquals(2 + op.length, onB1.capacity(), "a 2-byte header and the payload");
    }

    @Test
    void anOpGoesToEveryoneButItsSenderAndTheAckToTheSenderAloneInTheOrderAdded() {
        byte[] op1 = utf8("op1");
        byte[] ack1 = utf8("ack1");
        byte[] op2 = utf8("op2");
        Fanout fanout = new Fanout(2);
        fanout.toAllBut(sender, op1);
        fanout.toOne(sender, ack1);
        fanout.toAllBut(reader, op2);

        sendTo(fanout, sender, reader);

        assertEquals(List.of("ack1", "op2"), sender.received);
        assertEquals(List.of("op1"), reader.received);
    }

    @Test
    void aSenderThatLeftBeforeItsAckStillGetsTheAckAndNothingElse() {
        Fanout fanout = new Fanout(2);
        fanout.toAllBut(sender, utf8("op1"));
        fanout.toOne(sender, utf8("ack1"));
        fanout.toAll(utf8("presence"));

        sendTo(fanout, reader);

        assertEquals(List.of("ack1"), sender.received);
        assertEquals(List.of("op1", "presence"), reader.received);
    }

    @Test
    void aSubscriberNoFrameIsForIsNotHandedTheBatch() {
        Fanout fanout = new Fanout(1);
        fanout.toAllBut(sender, utf8("presence"));

        sendTo(fanout, sender, reader);

        assertEquals(0, sender.handOvers);
        assertEquals(1, reader.handOvers);
    }

    private static void sendTo(Fanout fanout, BoardSubscriber... audience) {
        fanout.send(Fanout.Audience.of(audience));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A loopless subscriber: frames are handed over on the sending thread, as text. */
    private static final class Recorder extends FakeSubscriber {
        final List<String> received = new ArrayList<>();
        int handOvers;

        Recorder(String id) {
            super(id);
        }

        @Override
        public void deliverAll(List<byte[]> frames) {
            handOvers++;
            frames.forEach(this::deliver);
        }

        @Override
        public void deliver(byte[] utf8Json) {
            received.add(new String(utf8Json, StandardCharsets.UTF_8));
        }
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
        public void deliverAll(Fanout batch, WireFrames wire) {
            onItsLoop = loop.inEventLoop();
            ByteBuf view = wire.share(0);
            frame.complete(view.unwrap());
            view.release();
        }
    }
}
