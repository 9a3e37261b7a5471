package org.linkboard.bench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqOrderCheckerTest {

    private static SeqOrderChecker fed(long startAfter, long... seqs) {
        SeqOrderChecker c = new SeqOrderChecker(startAfter);
        for (long s : seqs) {
            c.accept(s);
        }
        return c;
    }

    @Test
    void aContiguousStreamFromTheJoinedVersionHasNoViolation() {
        SeqOrderChecker c = fed(10, 11, 12, 13, 14);
        assertEquals(0, c.gaps());
        assertEquals(0, c.duplicates());
        assertEquals(0, c.outOfOrder());
        assertEquals(0, c.lost(14));
        assertEquals(14, c.last());
    }

    @Test
    void aJumpIsAGapAndTheSkippedNumbersAreLost() {
        SeqOrderChecker c = fed(0, 1, 2, 5, 6);
        assertEquals(1, c.gaps());
        assertEquals(2, c.lost(6));
    }

    @Test
    void aSkippedNumberArrivingLateIsOutOfOrderNotLost() {
        SeqOrderChecker c = fed(0, 1, 3, 2, 4);
        assertEquals(1, c.gaps());
        assertEquals(1, c.outOfOrder());
        assertEquals(0, c.duplicates());
        assertEquals(0, c.lost(4));
    }

    @Test
    void aNumberSeenTwiceIsADuplicate() {
        SeqOrderChecker c = fed(0, 1, 2, 2, 3, 1);
        assertEquals(2, c.duplicates());
        assertEquals(0, c.outOfOrder());
        assertEquals(0, c.gaps());
    }

    @Test
    void numbersUpToTheJoinedVersionCountAsAlreadySeen() {
        assertEquals(1, fed(5, 5).duplicates());
    }

    @Test
    void whatNeverArrivedBeforeTheFinalSeqIsLost() {
        SeqOrderChecker c = fed(0, 1, 2, 3);
        assertEquals(7, c.lost(10));
        assertEquals(0, c.lost(3));
    }

    @Test
    void lossesBeyondTheTrackedBoundAreStillCounted() {
        SeqOrderChecker c = fed(0, 1, SeqOrderChecker.MAX_TRACKED_MISSING + 10L);
        assertEquals(SeqOrderChecker.MAX_TRACKED_MISSING + 8L, c.lost(SeqOrderChecker.MAX_TRACKED_MISSING + 10L));
    }
}
