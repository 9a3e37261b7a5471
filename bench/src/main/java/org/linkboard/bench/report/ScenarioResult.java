package org.linkboard.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one scenario against one target. A plain mutable record filled by the scenario
 * runner; {@code NaN} (or -1 for counts) means "not measured" and is printed {@code n/a} /
 * written {@code null}.
 *
 * <p>Not thread-safe: filled and read by the orchestrating thread.
 */
public final class ScenarioResult {
    public String scenario;
    public String title;
    public String target;
    /** Which run of its scenario this is ({@code --repeat}), from 1; a row's relay ratios use the relay row of the same round. */
    public int round = 1;
    public double seconds = Double.NaN;
    public int boards;
    public int clients;
    public int writers;

    public double offeredOpsPerSec = Double.NaN;
    public double sentOpsPerSec = Double.NaN;
    public double achievedOpsPerSec = Double.NaN;
    public double deliveriesPerSec = Double.NaN;

    public double p50Ms = Double.NaN;
    public double p99Ms = Double.NaN;
    public double maxMs = Double.NaN;
    public double ackP50Ms = Double.NaN;
    public double ackP99Ms = Double.NaN;
    public double ackMaxMs = Double.NaN;

    public Map<String, Long> errors = new TreeMap<>();
    public long gaps;
    public long duplicates;
    public long outOfOrder;
    public long lost;

    public double serverCpuSeconds = Double.NaN;
    /** Ops completed while {@link #serverCpuSeconds} was measured, when that is not achieved × seconds (S4). */
    public double opsInCpuWindow = Double.NaN;
    public double generatorCpuSeconds = Double.NaN;
    /** CPU seconds taken by other processes on the machine during the window (noise). */
    public double otherCpuSeconds = Double.NaN;
    public double serverPeakRssMiB = Double.NaN;
    public double heapPerConnectionKiB = Double.NaN;
    public double heapPerJoinKiB = Double.NaN;
    public double heapPerBoardKiB = Double.NaN;

    public double kneeOpsPerSec = Double.NaN;
    public double recoveryMs = Double.NaN;
    public double coldListeningMs = Double.NaN;
    public double coldJoinedMs = Double.NaN;
    public long coldOps = -1;

    /** Scenario-specific detail (knee steps, memory steps…), written to JSON as is. */
    public Map<String, Object> detail = new LinkedHashMap<>();
    public String note = "";

    /**
     * Server CPU microseconds per achieved op over the measured window: what one op costs the
     * server, fan-out included. NaN without both figures.
     */
    public double serverCpuMicrosPerOp() {
        double ops = !Double.isNaN(opsInCpuWindow) ? opsInCpuWindow : achievedOpsPerSec * seconds;
        if (Double.isNaN(serverCpuSeconds) || Double.isNaN(ops) || ops <= 0) {
            return Double.NaN;
        }
        return serverCpuSeconds * 1e6 / ops;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long violations() {
        return gaps + duplicates + outOfOrder + lost;
    }
}
