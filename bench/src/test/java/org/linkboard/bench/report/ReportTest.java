package org.linkboard.bench.report;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static ScenarioResult row(String scenario, String target, double achieved, double p99) {
        ScenarioResult r = new ScenarioResult();
        r.scenario = scenario;
        r.title = scenario + " title";
        r.target = target;
        r.offeredOpsPerSec = 500;
        r.achievedOpsPerSec = achieved;
        r.deliveriesPerSec = achieved * 49;
        r.p50Ms = 1.234;
        r.p99Ms = p99;
        r.maxMs = 20;
        r.serverCpuSeconds = 3.25;
        r.serverPeakRssMiB = 300.4;
        r.seconds = 15;
        return r;
    }

    private static Report sample() {
        Report report = new Report(Map.of("cores", "2"));
        report.add(row("S1", "linkboard", 480, 13));
        report.add(row("S1", "relay", 500, 10));
        ScenarioResult s5 = row("S5", "linkboard", Double.NaN, Double.NaN);
        s5.heapPerConnectionKiB = 7.5;
        s5.errors.put("CLOSE_4408", 2L);
        s5.lost = 3;
        report.add(s5);
        return report;
    }

    @Test
    void theTableHasAHeaderARuleAndOneRowPerResultAllTheSameWidth() {
        List<String> lines = sample().table().lines().toList();
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).startsWith("scenario | target"));
        assertTrue(lines.get(1).matches("[-+]+"));
        // every column separator sits at the same offset on every line
        int sep = lines.get(0).indexOf(" | ", 10);
        for (String l : List.of(lines.get(2), lines.get(3), lines.get(4))) {
            assertEquals(" | ", l.substring(sep, sep + 3), l);
        }
    }

    @Test
    void aLinkboardRowShowsItsRatiosToTheRelayOfTheSameScenario() {
        String linkboardRow = sample().table().lines().toList().get(2);
        assertTrue(linkboardRow.contains("1.30x"), linkboardRow);
        // server CPU per op: 3.25 s / (480 ops/s * 15 s) = 451 us vs 433 us for the relay
        assertTrue(linkboardRow.contains(" 451 "), linkboardRow);
        assertTrue(linkboardRow.contains("1.04x"), linkboardRow);
        assertTrue(linkboardRow.contains("13.0"), linkboardRow);
        assertTrue(linkboardRow.contains("1.23"), linkboardRow);
    }

    @Test
    void unmeasuredFiguresPrintAsNotAvailableAndExtrasNameWhatWentWrong() {
        String s5 = sample().table().lines().toList().get(4);
        assertTrue(s5.contains("n/a"), s5);
        assertTrue(s5.contains("heap/conn 7.5 KiB"), s5);
        assertTrue(s5.contains("CLOSE_4408=2"), s5);
        assertTrue(s5.contains("lost 3"), s5);
    }

    @Test
    void jsonCarriesEveryFigureNullForUnmeasuredAndRatiosOnlyWhereARelayRan() {
        JsonObject json = sample().json();
        assertEquals("2", json.getJsonObject("environment").getString("cores"));
        JsonObject lb = json.getJsonArray("results").getJsonObject(0);
        assertEquals("linkboard", lb.getString("target"));
        assertEquals(480.0, lb.getDouble("achievedOpsPerSec"));
        assertEquals(13.0, lb.getJsonObject("latencyMs").getDouble("p99"));
        assertEquals(1.234, lb.getJsonObject("latencyMs").getDouble("p50"));
        assertEquals(1.3, lb.getJsonObject("ratioToRelay").getDouble("p99"), 1e-9);
        assertEquals(0.96, lb.getJsonObject("ratioToRelay").getDouble("achievedOpsPerSec"), 1e-9);
        assertEquals(1.042, lb.getJsonObject("ratioToRelay").getDouble("serverCpuPerOp"), 1e-9);
        assertEquals(451.389, lb.getDouble("serverCpuMicrosPerOp"), 1e-9);
        assertFalse(json.getJsonArray("results").getJsonObject(1).containsKey("ratioToRelay"));
        JsonObject s5 = json.getJsonArray("results").getJsonObject(2);
        assertTrue(s5.containsKey("achievedOpsPerSec"));
        assertNull(s5.getValue("achievedOpsPerSec"));
        assertEquals(3, s5.getJsonObject("violations").getLong("lost"));
        assertEquals(2, s5.getJsonObject("errors").getLong("CLOSE_4408"));
        assertFalse(s5.containsKey("ratioToRelay"));
        // and it is valid JSON text (no NaN literals)
        assertEquals(json, new JsonObject(json.encodePrettily()));
    }

    @Test
    void aColdStartRowNamesListeningJoinedAndTheColdJoinItself() {
        ScenarioResult s6 = row("S6", "linkboard", Double.NaN, Double.NaN);
        s6.coldListeningMs = 1213.5;
        s6.coldJoinedMs = 1817.5;
        s6.coldOps = 100_000;
        s6.detail.put("joinRoundTripColdMs", 426.14);

        assertEquals("cold start: listening 1213.5 ms, joined 1817.5 ms (100000 ops); cold join 426.1 ms", Report.extra(s6));
    }

    private static ScenarioResult inRound(ScenarioResult r, int round) {
        r.round = round;
        return r;
    }

    /** S1 three times: Linkboard p99 13, 20, 9 against relay p99 10 each round. */
    private static Report repeated() {
        Report report = new Report(Map.of());
        double[] p99 = {13, 20, 9};
        for (int round = 1; round <= 3; round++) {
            report.add(inRound(row("S1", "linkboard", 500, p99[round - 1]), round));
            report.add(inRound(row("S1", "relay", 500, 10), round));
        }
        return report;
    }

    @Test
    void aRepeatedScenarioTakesEachRoundsRatioAgainstTheRelayOfThatRound() {
        Report report = new Report(Map.of());
        report.add(inRound(row("S1", "linkboard", 500, 12), 1));
        report.add(inRound(row("S1", "relay", 500, 10), 1));
        report.add(inRound(row("S1", "linkboard", 500, 12), 2));
        report.add(inRound(row("S1", "relay", 500, 4), 2));

        List<String> lines = report.table().lines().toList();
        assertTrue(lines.get(2).startsWith("S1 #1") && lines.get(2).contains("1.20x"), lines.get(2));
        assertTrue(lines.get(4).startsWith("S1 #2") && lines.get(4).contains("3.00x"), lines.get(4));
    }

    @Test
    void theSummaryGivesEveryRoundsP99RatioAndTheirMedian() {
        String summary = repeated().summary();

        assertTrue(summary.contains("S1 over 3 rounds: p99 x relay 1.30x 2.00x 0.90x, median 1.30x"), summary);
    }

    @Test
    void jsonNamesEachRowsRoundAndGivesTheRepeatedRatiosWithTheirMedian() {
        JsonObject json = repeated().json();

        assertEquals(2, json.getJsonArray("results").getJsonObject(2).getInteger("round"));
        JsonObject s1 = json.getJsonObject("repeats").getJsonObject("S1");
        assertEquals(3, s1.getInteger("rounds"));
        assertEquals(List.of(1.3, 2.0, 0.9), s1.getJsonArray("p99RatioToRelay").getList());
        assertEquals(1.3, s1.getDouble("medianP99RatioToRelay"), 1e-9);
        assertEquals(1.0, s1.getDouble("medianServerCpuPerOpRatioToRelay"), 1e-9);
    }

    @Test
    void aSingleRunHasNoRoundLabelsAndNoSummary() {
        assertTrue(sample().table().lines().toList().get(2).startsWith("S1 "));
        assertEquals("", sample().summary());
        assertTrue(sample().json().getJsonObject("repeats").isEmpty());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(1.5, Report.median(List.of(2.0, 1.0, 1.4, 1.6)), 1e-9);
        assertEquals(1.0, Report.median(List.of(1.0)));
        assertTrue(Double.isNaN(Report.median(List.of())));
    }

    @Test
    void aRatioWithAMissingSideIsNotANumber() {
        assertTrue(Double.isNaN(Report.ratio(1, 0)));
        assertTrue(Double.isNaN(Report.ratio(Double.NaN, 2)));
        assertEquals(2.0, Report.ratio(4, 2));
    }
}
