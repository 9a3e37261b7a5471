package org.linkboard.bench.measure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One measurement interval of a run (a warm-up, a measured window, a knee step, a 100 ms recovery
 * window…), with what happened in it.
 *
 * <p>Two attributions, on purpose: latency and the "of sent" counters belong to the phase in which
 * the op was <em>scheduled</em> (so a slow phase cannot push its latency into the next one), while
 * {@code acksArrived}/{@code deliveriesArrived} count what <em>arrived</em> during the phase (so a
 * throughput figure is work actually done in that wall-clock window, not work queued in it and done
 * later).
 *
 * <p>Thread-safe: every counter is a {@link LongAdder}, histograms are concurrent.
 */
public final class Phase {
    public final int index;
    public final String name;
    /** Start in {@link System#nanoTime()} terms; the phase lasts until the next one starts. */
    public final long startNanos;
    /** Planned offered rate in ops/s over all writers (0 for a phase without load). */
    public final double offeredOpsPerSec;

    public final LongAdder sent = new LongAdder();
    public final LongAdder ackedOfSent = new LongAdder();
    public final LongAdder rejectedOfSent = new LongAdder();
    public final LongAdder acksArrived = new LongAdder();
    public final LongAdder deliveriesArrived = new LongAdder();
    public final LatencyStats delivery = new LatencyStats();
    public final LatencyStats ack = new LatencyStats();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    volatile long endNanos = Long.MAX_VALUE;

    Phase(int index, String name, long startNanos, double offeredOpsPerSec) {
        this.index = index;
        this.name = name;
        this.startNanos = startNanos;
        this.offeredOpsPerSec = offeredOpsPerSec;
    }

    /** Counts one error, reject or unexpected close, by code (e.g. {@code RATE_LIMITED}, {@code CLOSE_4408}). */
    public void error(String code) {
        errors.computeIfAbsent(code == null ? "UNKNOWN" : code, c -> new LongAdder()).increment();
    }

    /** Error counts by code, sorted by code. */
    public Map<String, Long> errors() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Seconds from start to end (to now while the phase is open). */
    public double seconds() {
        long end = endNanos == Long.MAX_VALUE ? System.nanoTime() : endNanos;
        return (end - startNanos) / 1e9;
    }
}
