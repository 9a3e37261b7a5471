package org.linkboard.bench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerTimingsTest {

    /** What Linkboard's /metrics prints (Micrometer's Prometheus format), cut to the series read. */
    private static String scrape(long[] ackCumulative, long[] commitCumulative, long youngPauses, double youngSeconds) {
        double[] ackBounds = {0.001, 0.002, 0.005, 0.01};
        double[] commitBounds = {5.0E-4, 0.001, 0.002};
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP linkboard_ack_latency_seconds time from an op's submission to its durable ack\n");
        sb.append("# TYPE linkboard_ack_latency_seconds histogram\n");
        for (int i = 0; i < ackBounds.length; i++) {
            sb.append("linkboard_ack_latency_seconds_bucket{le=\"").append(ackBounds[i]).append("\"} ").append(ackCumulative[i]).append('\n');
        }
        sb.append("linkboard_ack_latency_seconds_bucket{le=\"+Inf\"} ").append(ackCumulative[ackBounds.length]).append('\n');
        sb.append("linkboard_ack_latency_seconds_count ").append(ackCumulative[ackBounds.length]).append('\n');
        sb.append("linkboard_ack_latency_seconds_max 0.036273735\n");
        for (int i = 0; i < commitBounds.length; i++) {
            sb.append("linkboard_store_commit_seconds_bucket{le=\"").append(commitBounds[i]).append("\"} ").append(commitCumulative[i]).append('\n');
        }
        sb.append("linkboard_store_commit_seconds_bucket{le=\"+Inf\"} ").append(commitCumulative[commitBounds.length]).append('\n');
        sb.append("jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"} ")
                .append(youngPauses).append('\n');
        sb.append("jvm_gc_pause_seconds_sum{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"} ")
                .append(youngSeconds).append('\n');
        sb.append("jvm_gc_pause_seconds_count{action=\"end of major GC\",cause=\"System.gc()\",gc=\"G1 Old Generation\"} 1\n");
        sb.append("jvm_gc_pause_seconds_sum{action=\"end of major GC\",cause=\"System.gc()\",gc=\"G1 Old Generation\"} 0.05\n");
        sb.append("linkboard_ops_accepted_total 17500.0\n");
        return sb.toString();
    }

    @Test
    void aQuantileIsTheFirstBucketBoundThatHoldsItsShare() {
        // 1000 acks: 900 within 1 ms, 985 within 2 ms, 995 within 5 ms
        ServerTimings t = ServerTimings.parse(scrape(new long[] {900, 985, 995, 1000, 1000}, new long[] {0, 0, 0, 0}, 0, 0));
        assertEquals(0.001, t.ack().quantileBound(0.50));
        assertEquals(0.005, t.ack().quantileBound(0.99));
        assertEquals(0.01, t.ack().quantileBound(1.0));
        assertEquals(0.015, t.ack().fractionAbove(0.002), 1e-9);
    }

    @Test
    void aWindowCountsOnlyWhatHappenedBetweenItsTwoScrapes() {
        // warm-up: 1000 slow acks, all over 10 ms; the window: 1000 fast ones within 1 ms
        ServerTimings start = ServerTimings.parse(scrape(new long[] {0, 0, 0, 0, 1000}, new long[] {0, 10, 90, 100}, 5, 0.2));
        ServerTimings end = ServerTimings.parse(scrape(new long[] {1000, 1000, 1000, 1000, 2000}, new long[] {80, 90, 190, 200}, 7, 0.25));
        ServerTimings window = end.minus(start);
        assertEquals(1000, window.ack().count());
        assertEquals(0.001, window.ack().quantileBound(0.99));
        assertEquals(100, window.commit().count());
        assertEquals(5.0E-4, window.commit().quantileBound(0.50));
        assertEquals(2, window.gcPauses());
        assertEquals(0.05, window.gcPauseSeconds(), 1e-9);
    }

    @Test
    void aQuantilePastTheLastFiniteBoundIsReportedAsSuch() {
        ServerTimings t = ServerTimings.parse(scrape(new long[] {10, 20, 30, 40, 100}, new long[] {0, 0, 0, 0}, 0, 0));
        assertEquals(Double.POSITIVE_INFINITY, t.ack().quantileBound(0.99));
        assertNull(t.detail().get("ackP99BoundMs"));
        assertEquals("server: ack p50 > last bucket p99 > last bucket, GC pauses 1 (50 ms)", t.summary());
    }

    @Test
    void pausesOfEveryCollectorAndCauseAreCounted() {
        ServerTimings t = ServerTimings.parse(scrape(new long[] {0, 0, 0, 0, 0}, new long[] {0, 0, 0, 0}, 4, 0.04));
        assertEquals(5, t.gcPauses());
        assertEquals(0.09, t.gcPauseSeconds(), 1e-9);
    }

    @Test
    void theSummaryGivesBoundsInMilliseconds() {
        ServerTimings t = ServerTimings.parse(scrape(new long[] {900, 985, 995, 1000, 1000}, new long[] {60, 95, 100, 100}, 3, 0.0414));
        assertEquals("server: ack p50 ≤ 1 ms p99 ≤ 5 ms, commit p50 ≤ 0.5 ms p99 ≤ 2 ms, GC pauses 4 (91 ms)", t.summary());
    }

    @Test
    void nodesOfAClusterAddUp() {
        ServerTimings a = ServerTimings.parse(scrape(new long[] {100, 100, 100, 100, 100}, new long[] {0, 0, 0, 0}, 1, 0.01));
        ServerTimings b = ServerTimings.parse(scrape(new long[] {0, 0, 100, 100, 100}, new long[] {0, 0, 0, 0}, 1, 0.01));
        ServerTimings both = a.plus(b);
        assertEquals(200, both.ack().count());
        assertEquals(0.001, both.ack().quantileBound(0.50));
        assertEquals(0.005, both.ack().quantileBound(0.99));
    }

    @Test
    void histogramsWithDifferentBucketsAreNotMixed() {
        ServerTimings a = ServerTimings.parse(scrape(new long[] {1, 1, 1, 1, 1}, new long[] {0, 0, 0, 0}, 0, 0));
        ServerTimings other = ServerTimings.parse("linkboard_ack_latency_seconds_bucket{le=\"0.003\"} 1\n"
                + "linkboard_ack_latency_seconds_bucket{le=\"+Inf\"} 1\n");
        assertThrows(IllegalArgumentException.class, () -> a.minus(other));
    }

    @Test
    void aServerWithoutTheSeriesReadsAsEmpty() {
        ServerTimings t = ServerTimings.parse("# nothing here\nprocess_uptime_seconds 12.5\n");
        assertEquals(0, t.ack().count());
        assertEquals(Double.NaN, t.ack().quantileBound(0.99));
        assertEquals("server: GC pauses 0 (0 ms)", t.summary());
    }
}
