package org.linkboard.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecoveryWindowTest {

    @Test
    void recoveryStartsAtTheFirstWindowOfAFineRunOfTheRequiredLength() {
        assertEquals(2, Scenarios.recoveryWindow(List.of(false, false, true, true, true, false), 3));
    }

    @Test
    void aShortFineRunBeforeAnotherSlowWindowIsNotARecovery() {
        assertEquals(3, Scenarios.recoveryWindow(List.of(true, true, false, true, true, true), 3));
    }

    @Test
    void aLaterSpikeDoesNotUndoARecovery() {
        assertEquals(0, Scenarios.recoveryWindow(List.of(true, true, true, false, true), 3));
    }

    @Test
    void neverFineLongEnoughIsMinusOne() {
        assertEquals(-1, Scenarios.recoveryWindow(List.of(true, true, false, true, true), 3));
    }
}
