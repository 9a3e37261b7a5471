package org.linkboard.bench;

/**
 * When the end-of-run drain stops waiting for clients to catch up. What is still missing then
 * counts as lost, so the drain must not stop while deliveries are still arriving: past S4's knee,
 * clients cut off as slow readers come back 100 000 ops behind and take a while to read them, on
 * the same two cores. It waits {@code quietNanos} after the last progress (fewer ops missing than
 * at any check before), and never longer than {@code capNanos} in all. Not thread-safe; the
 * orchestrating thread's.
 */
final class DrainDeadline {
    private final long start;
    private final long quietNanos;
    private final long capNanos;
    private long lastProgress;
    private long fewestMissing = Long.MAX_VALUE;

    DrainDeadline(long nowNanos, long quietNanos, long capNanos) {
        this.start = nowNanos;
        this.lastProgress = nowNanos;
        this.quietNanos = quietNanos;
        this.capNanos = capNanos;
    }

    /** Records a check that found {@code missing} ops not yet delivered; whether to stop waiting. */
    boolean expired(long nowNanos, long missing) {
        if (missing < fewestMissing) {
            fewestMissing = missing;
            lastProgress = nowNanos;
        }
        return nowNanos - lastProgress > quietNanos || nowNanos - start > capNanos;
    }
}
