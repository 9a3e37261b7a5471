package org.linkboard.bench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessProbeTest {

    @Test
    void cpuSecondsAreUtimePlusStimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 1234 566 0 0 20 0 40 0 100 0 0";
        assertEquals(18.0, ProcessProbe.cpuSecondsFromStat(stat), 1e-9);
    }

    @Test
    void heapInUseIsSurvivorsEdenAndOldFromJstat() {
        String out = """
                 S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT
                 0.0    0.0    0.0   10.0  28672.0   1024.0   233472.0    8192.5  20096.0 19509.6 2304.0 2084.4      3    0.010   2      0.030   0      0.000    0.040
                """;
        assertEquals((long) ((10.0 + 1024.0 + 8192.5) * 1024), ProcessProbe.jstatUsedBytes(out));
    }

    @Test
    void aClassHistogramIsReadAsBytesPerClass() {
        String out = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         20000        1600000  [B (java.base@17.0.15)
                   2:          1000          48000  io.netty.channel.DefaultChannelPipeline
                Total         21000        1648000
                """;
        var h = ProcessProbe.parseClassHistogram(out);
        assertEquals(1_600_000L, h.get("[B"));
        assertEquals(48_000L, h.get("io.netty.channel.DefaultChannelPipeline"));
        assertEquals(2, h.size());
    }

    @Test
    void machineBusyTimeCountsEverythingButIdleAndIowait() {
        String cpu = "cpu  1000 50 300 90000 400 20 30 5 0 0";
        assertEquals((1000 + 50 + 300 + 20 + 30 + 5) / 100.0, ProcessProbe.machineBusySecondsFromStat(cpu), 1e-9);
    }

    @Test
    void readsItsOwnCpuAndMemory() {
        ProcessProbe self = ProcessProbe.self();
        assertTrue(self.cpuSeconds() > 0);
        long rss = self.rssBytes();
        // the peak is read after the current size, so it cannot be below it
        assertTrue(rss > 0);
        assertTrue(self.peakRssBytes() >= rss);
    }
}
