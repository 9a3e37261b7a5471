package org.linkboard.bench;

/**
 * The rates the knee scenarios (S4, S4E) run, one step each: from {@code first}, 25 % more a step
 * while the steps are sustained; a failed step is run again (at most {@link #RETRIES} times in a
 * row, since one stray spike of another process can fail a step on a shared machine); once a rate
 * fails for good, the climb starts again from the last sustained rate in steps of 6 %, up to the
 * rate that failed. The knee is then known to within 6 % instead of 25 %.
 *
 * <p>Not thread-safe: the scenario's thread asks it for each step's rate and reports each verdict.
 */
final class KneeSchedule {

    static final double COARSE = 1.25;
    static final double FINE = 1.06;
    static final int RETRIES = 2;

    private final double first;
    private final double ceiling;
    private double lastSustained = Double.NaN;
    /** The rate that failed for good in the coarse climb; the fine climb stays under it. */
    private double failedCoarse = Double.NaN;
    private int retries;

    /** {@code ceiling}: no step above it (the generator's schedule ends there). */
    KneeSchedule(double first, double ceiling) {
        this.first = first;
        this.ceiling = ceiling;
    }

    double first() {
        return first;
    }

    /**
     * The rate of the step that follows a step at {@code rate}, queued before that step is judged
     * (it only runs if the step is sustained); NaN when the schedule ends with that step.
     */
    double after(double rate) {
        double next = rate * (fine() ? FINE : COARSE);
        if (fine() && next >= failedCoarse) return Double.NaN;
        return next > ceiling ? Double.NaN : next;
    }

    /** A step at {@code rate} was sustained. */
    void sustained(double rate) {
        lastSustained = Double.isNaN(lastSustained) ? rate : Math.max(lastSustained, rate);
        retries = 0;
    }

    /**
     * A step at {@code rate} was not sustained: the rate to run next, after a pause that lets the
     * backlog drain (the same rate again, or the start of the fine climb), or NaN when the knee is found.
     */
    double failed(double rate) {
        if (retries < RETRIES) {
            retries++;
            return rate;
        }
        retries = 0;
        if (fine() || Double.isNaN(lastSustained)) return Double.NaN;
        failedCoarse = rate;
        double next = lastSustained * FINE;
        return next >= failedCoarse ? Double.NaN : next;
    }

    /** Whether the climb is in its fine steps. */
    boolean fine() {
        return !Double.isNaN(failedCoarse);
    }
}
