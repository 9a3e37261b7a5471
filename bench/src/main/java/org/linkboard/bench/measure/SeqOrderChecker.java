package org.linkboard.bench.measure;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks one ordered stream of sequence numbers as one receiver sees it: for Linkboard the per-board
 * {@code seq} of {@code op} and {@code ack} messages at one client (CONTRACT §5: strictly increasing,
 * no gap); for the relay the op number of one sender as one receiver sees it.
 *
 * <p>Each number is classified as it arrives: the next one (fine); a jump (a <em>gap</em>: the
 * skipped numbers are remembered as missing); an older number that was missing (<em>out of order</em>,
 * no longer missing); or an older number already seen (<em>duplicate</em>). At the end,
 * {@link #lost(long)} counts what never arrived up to the stream's final number.
 *
 * <p>Not thread-safe: used by the event loop of the receiving client; read totals after the run has
 * drained. Missing numbers are kept in a set bounded at {@value #MAX_TRACKED_MISSING} so a broken
 * server cannot exhaust the generator; beyond that, losses are still counted, only the
 * out-of-order/duplicate split becomes approximate.
 */
public final class SeqOrderChecker {
    static final int MAX_TRACKED_MISSING = 100_000;

    private long last;
    private long gaps;
    private long duplicates;
    private long outOfOrder;
    private long untrackedMissing;
    private final Set<Long> missing = new HashSet<>();

    /** @param startAfter the last number already known before the stream starts (e.g. the joined version) */
    public SeqOrderChecker(long startAfter) {
        this.last = startAfter;
    }

    /** Records the arrival of {@code seq}. */
    public void accept(long seq) {
        if (seq == last + 1) {
            last = seq;
        } else if (seq > last + 1) {
            gaps++;
            for (long m = last + 1; m < seq; m++) {
                if (missing.size() < MAX_TRACKED_MISSING) {
                    missing.add(m);
                } else {
                    untrackedMissing++;
                }
            }
            last = seq;
        } else if (missing.remove(seq)) {
            outOfOrder++;
        } else {
            duplicates++;
        }
    }

    /** The highest number seen (or the start). */
    public long last() {
        return last;
    }

    /** How many times the stream jumped ahead. */
    public long gaps() {
        return gaps;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Numbers that arrived after a higher one. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Numbers up to {@code finalSeq} that never arrived. */
    public long lost(long finalSeq) {
        return missing.size() + untrackedMissing + Math.max(0, finalSeq - last);
    }
}
