package org.linkboard.bench.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line a drain that gave up prints for each client still behind. */
class BenchClientStandingTest {

    @Test
    void aClientBehindIsDescribedByItsConnectionRejoinsSeqAndLastFrame() {
        assertEquals("client 7: socket open, 2 rejoins, seq 812345 of 1025800 (213455 behind), last frame 21.3 s ago",
                BenchClient.standingLine(7, "socket open", false, 2, 812_345, 1_025_800, 21.34));
    }

    @Test
    void aRejoinUnderWayAndAClientThatNeverGotAFrameAreSaidSo() {
        assertEquals("client 0: socket closed (rejoin under way), 1 rejoin, seq 0 of 40 (40 behind), no frame yet",
                BenchClient.standingLine(0, "socket closed", true, 1, 0, 40, -1));
    }
}
