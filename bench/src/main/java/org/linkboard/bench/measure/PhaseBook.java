package org.linkboard.bench.measure;

import java.util.Arrays;

/**
 * The phases of one run, in time order, so that a receiver can find the phase of an op from the
 * phase index in its cid and the phase of "now" from the clock.
 *
 * <p>Phase 0 ("setup") is open from construction. {@link #start} is called by the orchestrating
 * thread only; lookups come from any event loop and see a consistent array (copy on write, published
 * through a volatile field).
 */
public final class PhaseBook {
    private volatile Phase[] phases;

    public PhaseBook() {
        phases = new Phase[] {new Phase(0, "setup", System.nanoTime(), 0)};
    }

    /**
     * Opens a new phase at {@code startNanos} (may be in the near future: ops scheduled before it
     * still belong to the previous phase), closing the previous one there.
     */
    public synchronized Phase start(String name, long startNanos, double offeredOpsPerSec) {
        Phase[] old = phases;
        Phase p = new Phase(old.length, name, startNanos, offeredOpsPerSec);
        old[old.length - 1].endNanos = startNanos;
        Phase[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = p;
        phases = next;
        return p;
    }

    /** The phase by index (from a cid); the last phase for an unknown index. */
    public Phase get(int index) {
        Phase[] p = phases;
        return index >= 0 && index < p.length ? p[index] : p[p.length - 1];
    }

    /** The phase containing {@code nanos}: the last one that started at or before it. */
    public Phase at(long nanos) {
        Phase[] p = phases;
        for (int i = p.length - 1; i > 0; i--) {
            if (p[i].startNanos - nanos <= 0) {
                return p[i];
            }
        }
        return p[0];
    }

    public Phase now() {
        return at(System.nanoTime());
    }
}
