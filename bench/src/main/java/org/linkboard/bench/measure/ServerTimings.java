package org.linkboard.bench.measure;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's own account of a window, from two scrapes of Linkboard's Prometheus endpoint
 * ({@code GET /metrics}, docs/operations.md): how long ops took from submission to their durable
 * ack ({@code linkboard_ack_latency_seconds}), how long the store's group commits took
 * ({@code linkboard_store_commit_seconds}), and the JVM's GC pauses ({@code jvm_gc_pause_seconds}).
 * Set beside the generator's end-to-end latency it says where a tail comes from: the commit path
 * (queue, fsync) or the way out to the readers.
 *
 * <p>Histograms are differenced bucket by bucket ({@link #minus}), so a window's counts are exact;
 * a quantile is given as the bucket bound it falls under ("p99 ≤ 5 ms"), never interpolated
 * between bounds. Series with other labels (several GC causes, several cluster nodes) are summed.
 *
 * <p>Immutable; thread-safe.
 */
public record ServerTimings(Histogram ack, Histogram commit, long gcPauses, double gcPauseSeconds) {

    static final String ACK = "linkboard_ack_latency_seconds";
    static final String COMMIT = "linkboard_store_commit_seconds";
    static final String GC = "jvm_gc_pause_seconds";

    /** Reads the three series from a Prometheus text exposition; missing ones are empty. */
    public static ServerTimings parse(String exposition) {
        Map<Double, Long> ackBuckets = new TreeMap<>();
        Map<Double, Long> commitBuckets = new TreeMap<>();
        long gcCount = 0;
        double gcSum = 0;
        for (String line : exposition.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            int brace = line.indexOf('{');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            double value = number(line.substring(space + 1).trim());
            switch (name) {
                case ACK + "_bucket" -> ackBuckets.merge(le(line), (long) value, Long::sum);
                case COMMIT + "_bucket" -> commitBuckets.merge(le(line), (long) value, Long::sum);
                case GC + "_count" -> gcCount += (long) value;
                case GC + "_sum" -> gcSum += value;
                default -> { }
            }
        }
        return new ServerTimings(Histogram.of(ackBuckets), Histogram.of(commitBuckets), gcCount, gcSum);
    }

    /** What happened between {@code earlier} and this scrape of the same process(es). */
    public ServerTimings minus(ServerTimings earlier) {
        return new ServerTimings(ack.minus(earlier.ack), commit.minus(earlier.commit),
                gcPauses - earlier.gcPauses, gcPauseSeconds - earlier.gcPauseSeconds);
    }

    /** Two processes' figures as one (the nodes of a cluster). */
    public ServerTimings plus(ServerTimings other) {
        return new ServerTimings(ack.plus(other.ack), commit.plus(other.commit),
                gcPauses + other.gcPauses, gcPauseSeconds + other.gcPauseSeconds);
    }

    /** One line for a report, e.g. "server: ack p50 ≤ 1 ms p99 ≤ 5 ms, commit p50 ≤ 0.5 ms p99 ≤ 2 ms, GC pauses 3 (41 ms)". */
    public String summary() {
        StringBuilder sb = new StringBuilder("server:");
        if (ack.count() > 0) {
            sb.append(" ack p50 ").append(bound(ack.quantileBound(0.50)))
                    .append(" p99 ").append(bound(ack.quantileBound(0.99))).append(',');
        }
        if (commit.count() > 0) {
            sb.append(" commit p50 ").append(bound(commit.quantileBound(0.50)))
                    .append(" p99 ").append(bound(commit.quantileBound(0.99))).append(',');
        }
        sb.append(" GC pauses ").append(gcPauses).append(" (").append(Math.round(gcPauseSeconds * 1000)).append(" ms)");
        return sb.toString();
    }

    /** The figures for a result's JSON detail: counts, and quantile bounds in ms (null past the last bucket). */
    public Map<String, Object> detail() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("acks", ack.count());
        d.put("ackP50BoundMs", boundMs(ack.quantileBound(0.50)));
        d.put("ackP99BoundMs", boundMs(ack.quantileBound(0.99)));
        d.put("commits", commit.count());
        d.put("commitP50BoundMs", boundMs(commit.quantileBound(0.50)));
        d.put("commitP99BoundMs", boundMs(commit.quantileBound(0.99)));
        d.put("gcPauses", gcPauses);
        d.put("gcPauseMs", Math.round(gcPauseSeconds * 1000));
        return d;
    }

    private static Double boundMs(double seconds) {
        return Double.isFinite(seconds) ? seconds * 1000 : null;
    }

    private static String bound(double seconds) {
        if (Double.isInfinite(seconds)) return "> last bucket";
        double ms = seconds * 1000;
        return "≤ " + (ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms)) + " ms";
    }

    private static double le(String line) {
        int at = line.indexOf("le=\"");
        if (at < 0) throw new IllegalArgumentException("a bucket without le: " + line);
        int end = line.indexOf('"', at + 4);
        return number(line.substring(at + 4, end));
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /**
     * A Prometheus histogram: cumulative counts at ascending upper bounds (seconds), the last
     * {@code +Inf}, so the total is the last count. Immutable.
     */
    public record Histogram(double[] bounds, long[] cumulative) {
        static Histogram of(Map<Double, Long> byBound) {
            double[] b = new double[byBound.size()];
            long[] c = new long[byBound.size()];
            int i = 0;
            for (Map.Entry<Double, Long> e : byBound.entrySet()) {
                b[i] = e.getKey();
                c[i++] = e.getValue();
            }
            return new Histogram(b, c);
        }

        public long count() {
            return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        }

        /**
         * The smallest bound under which at least {@code q} of the observations fall: the
         * q-quantile is at most this. {@code +Inf} when it is past the last finite bound, NaN when
         * there is nothing.
         */
        public double quantileBound(double q) {
            long total = count();
            if (total == 0) return Double.NaN;
            double need = q * total;
            for (int i = 0; i < bounds.length; i++) {
                if (cumulative[i] >= need) return bounds[i];
            }
            return Double.POSITIVE_INFINITY;
        }

        /** The share of observations over {@code bound} (one of the histogram's bounds). */
        public double fractionAbove(double bound) {
            int i = Arrays.binarySearch(bounds, bound);
            if (i < 0) throw new IllegalArgumentException(bound + " is not a bucket bound");
            long total = count();
            return total == 0 ? 0 : (double) (total - cumulative[i]) / total;
        }

        Histogram minus(Histogram earlier) {
            if (earlier.bounds.length == 0) return this;
            return combine(earlier, -1);
        }

        Histogram plus(Histogram other) {
            if (other.bounds.length == 0) return this;
            if (bounds.length == 0) return other;
            return combine(other, 1);
        }

        private Histogram combine(Histogram other, int sign) {
            if (!Arrays.equals(bounds, other.bounds)) {
                throw new IllegalArgumentException("histograms with different buckets");
            }
            long[] c = new long[cumulative.length];
            for (int i = 0; i < c.length; i++) c[i] = cumulative[i] + sign * other.cumulative[i];
            return new Histogram(bounds, c);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && Arrays.equals(bounds, h.bounds) && Arrays.equals(cumulative, h.cumulative);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(cumulative);
        }

        @Override
        public String toString() {
            return "Histogram" + Arrays.toString(bounds) + Arrays.toString(cumulative);
        }
    }
}
