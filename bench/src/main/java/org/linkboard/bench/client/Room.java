package org.linkboard.bench.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One board (or relay room) under load and its clients. Tracks the highest {@code seq} acked on it,
 * which is the board's final version once the run has drained: every client must have seen every
 * seq up to it (CONTRACT §5).
 *
 * <p>Thread-safe: clients on several event loops update it.
 */
public final class Room {
    public final String id;
    public final List<BenchClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong lastAckedSeq = new AtomicLong();

    public Room(String id) {
        this.id = id;
    }

    void acked(long seq) {
        lastAckedSeq.accumulateAndGet(seq, Math::max);
    }

    /** A version seen at join; ops before the run count as acked. */
    void joinedAt(long version) {
        lastAckedSeq.accumulateAndGet(version, Math::max);
    }

    public long lastAckedSeq() {
        return lastAckedSeq.get();
    }
}
