package org.linkboard.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KneeScheduleTest {

    /** Runs the schedule against a target that sustains exactly the rates {@code sustains} accepts. */
    private static List<Double> run(KneeSchedule schedule, DoublePredicate sustains) {
        List<Double> ran = new ArrayList<>();
        double rate = schedule.first();
        while (!Double.isNaN(rate) && ran.size() < 1000) {
            ran.add(rate);
            if (sustains.test(rate)) {
                schedule.sustained(rate);
                rate = schedule.after(rate);
            } else {
                rate = schedule.failed(rate);
            }
        }
        return ran;
    }

    private static double highestSustained(List<Double> ran, double knee) {
        return ran.stream().filter(r -> r <= knee).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    @Test
    void theCoarseClimbRaisesTheRateByAQuarterAStep() {
        List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r < 5000);

        assertEquals(List.of(2000.0, 2500.0, 3125.0, 3906.25), ran.subList(0, 4));
    }

    @Test
    void aFailedStepIsRunTwiceMoreBeforeItCounts() {
        List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r < 3000);

        assertEquals(List.of(2000.0, 2500.0, 3125.0, 3125.0, 3125.0), ran.subList(0, 5));
    }

    @Test
    void aStepThatPassesOnRetryLetsTheCoarseClimbGoOn() {
        int[] calls = {0};
        List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r != 2500 || calls[0]++ > 0);

        assertEquals(List.of(2000.0, 2500.0, 2500.0, 3125.0), ran.subList(0, 4));
    }

    @Test
    void afterTheCoarseFailureTheFineClimbStartsFromTheLastSustainedRate() {
        List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r < 3500);

        // 3125 sustained, 3906.25 failed three times, then 3125 x 1.06 = 3312.5
        assertEquals(3312.5, ran.get(6), 1e-9);
        assertTrue(ran.subList(6, ran.size()).stream().allMatch(r -> r > 3125 && r < 3906.25), ran.toString());
    }

    @Test
    void theKneeIsFoundToWithinTheFineStep() {
        for (double knee : new double[] {2600, 10_000, 33_000, 41_000, 77_777}) {
            List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r <= knee);

            double found = highestSustained(ran, knee);
            assertTrue(found > knee / KneeSchedule.FINE && found <= knee, knee + " found as " + found + " in " + ran);
        }
    }

    @Test
    void theFineClimbStopsBelowTheRateThatFailed() {
        List<Double> ran = run(new KneeSchedule(2000, 400_000), r -> r < 3906.25);

        assertEquals(3, ran.stream().filter(r -> r == 3906.25).count(), ran.toString());
        assertTrue(ran.stream().noneMatch(r -> r > 3906.25), ran.toString());
    }

    @Test
    void aFirstStepThatNeverPassesEndsTheScheduleAfterItsRetries() {
        assertEquals(List.of(2000.0, 2000.0, 2000.0), run(new KneeSchedule(2000, 400_000), r -> false));
    }

    @Test
    void noStepRunsAboveTheCeiling() {
        List<Double> ran = run(new KneeSchedule(2000, 10_000), r -> true);

        assertTrue(ran.stream().allMatch(r -> r <= 10_000), ran.toString());
        assertEquals(2000 * Math.pow(1.25, 7), ran.get(ran.size() - 1), 1e-9);
    }
}
