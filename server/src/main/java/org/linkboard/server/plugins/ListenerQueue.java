package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Runs one module's listener calls one at a time, in submission order, so a module sees the ops of
 * a board in seq order without locking of its own. Bounded: past {@link #LIMIT} waiting events
 * (a module far slower than the boards it watches) new events are dropped and logged, because an
 * unbounded queue would let one slow module exhaust the server's memory.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
final class ListenerQueue {

    static final int LIMIT = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ListenerQueue.class);

    private final String moduleId;
    private final Deque<Supplier<Future<?>>> waiting = new ArrayDeque<>();
    private boolean running;

    ListenerQueue(String moduleId) {
        this.moduleId = moduleId;
    }

    void submit(Supplier<Future<?>> task) {
        synchronized (this) {
            if (waiting.size() >= LIMIT) {
                log.warn("module {}: listener queue full ({} events); dropping an event", moduleId, LIMIT);
                return;
            }
            waiting.add(task);
            if (running) return;
            running = true;
        }
        runNext();
    }

    private void runNext() {
        Supplier<Future<?>> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running = false;
                return;
            }
        }
        Future<?> f;
        try {
            f = next.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> runNext());
    }
}
