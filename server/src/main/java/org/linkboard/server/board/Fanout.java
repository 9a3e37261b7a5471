package org.linkboard.server.board;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames one actor turn produced for its subscribers (a committed batch, a presence burst),
 * handed to each subscriber's writer loop in one task per loop.
 *
 * <p>Why: a board's actor lives on one event loop, but its subscribers' sockets are spread over
 * all of them. Writing every frame from the actor's loop put the whole fan-out of a busy board on
 * one core, and each write from a foreign thread cost a queued task; here the actor only groups,
 * and each loop writes (and flushes once per subscriber) the frames of its own sockets, so a
 * single board's fan-out uses every core. Frames of one subscriber keep the order they were added
 * in, and since an actor hands everything it writes to a subscriber over the same path (this, or
 * {@link BoardSubscriber#deliver}, which hops to the same loop), in order with the actor's other
 * frames.
 *
 * <p>Threading: built and sent on the actor's context; not reusable after {@link #send()}.
 */
final class Fanout {

    private final Map<BoardSubscriber, List<byte[]>> frames = new IdentityHashMap<>();
    private final int expectedPerSubscriber;

    Fanout(int expectedPerSubscriber) {
        this.expectedPerSubscriber = expectedPerSubscriber;
    }

    void add(BoardSubscriber to, byte[] frame) {
        frames.computeIfAbsent(to, k -> new ArrayList<>(expectedPerSubscriber)).add(frame);
    }

    /** Writes inline for subscribers of the calling loop (and those without one), one task per other loop. */
    void send() {
        Map<EventExecutor, List<Map.Entry<BoardSubscriber, List<byte[]>>>> byLoop = null;
        List<Map.Entry<BoardSubscriber, List<byte[]>>> here = null;
        for (Map.Entry<BoardSubscriber, List<byte[]>> e : frames.entrySet()) {
            EventExecutor loop = e.getKey().writer();
            if (loop == null) {
                e.getKey().deliverAll(e.getValue());
            } else if (loop.inEventLoop()) {
                if (here == null) here = new ArrayList<>();
                here.add(e);
            } else {
                if (byLoop == null) byLoop = new IdentityHashMap<>(4);
                byLoop.computeIfAbsent(loop, l -> new ArrayList<>()).add(e);
            }
        }
        if (here != null) write(here);
        if (byLoop == null) return;
        byLoop.forEach((loop, batch) -> loop.execute(() -> write(batch)));
    }

    /** Writes one loop's share, each frame encoded once for all its sockets. On that loop. */
    private static void write(List<Map.Entry<BoardSubscriber, List<byte[]>>> batch) {
        WireFrames wire = new WireFrames();
        try {
            for (Map.Entry<BoardSubscriber, List<byte[]>> e : batch) e.getKey().deliverAll(e.getValue(), wire);
        } finally {
            wire.release();
        }
    }
}
