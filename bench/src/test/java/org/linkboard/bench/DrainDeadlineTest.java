package org.linkboard.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainDeadlineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aDrainWithoutProgressStopsAfterTheQuietTime() {
        DrainDeadline d = new DrainDeadline(0, 15 * S, 150 * S);
        assertFalse(d.expired(0, 500));
        assertFalse(d.expired(15 * S, 500));
        assertTrue(d.expired(15 * S + 1, 500));
    }

    @Test
    void eachArrivalStartsTheQuietTimeAgain() {
        DrainDeadline d = new DrainDeadline(0, 15 * S, 150 * S);
        d.expired(0, 500);
        assertFalse(d.expired(14 * S, 400));
        assertFalse(d.expired(28 * S, 400));
        assertTrue(d.expired(29 * S + 1, 400));
    }

    @Test
    void moreMissingThanBeforeIsNotProgress() {
        DrainDeadline d = new DrainDeadline(0, 15 * S, 150 * S);
        d.expired(0, 500);
        assertFalse(d.expired(10 * S, 600));
        assertTrue(d.expired(16 * S, 600));
    }

    @Test
    void aDrainThatKeepsProgressingStopsAtTheCap() {
        DrainDeadline d = new DrainDeadline(0, 15 * S, 150 * S);
        long missing = 1_000_000;
        for (long t = 0; t <= 150 * S; t += S) assertFalse(d.expired(t, --missing), "at " + t / S + " s");
        assertTrue(d.expired(150 * S + 1, --missing));
    }
}
