package org.linkboard.bench.measure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class PhaseBookTest {

    @Test
    void anInstantBelongsToTheLastPhaseThatStartedAtOrBeforeIt() {
        PhaseBook book = new PhaseBook();
        long t = System.nanoTime() + 1_000_000_000L;
        Phase warm = book.start("warmup", t, 10);
        Phase measure = book.start("measure", t + 100, 10);
        assertEquals("setup", book.at(t - 1).name);
        assertSame(warm, book.at(t));
        assertSame(warm, book.at(t + 99));
        assertSame(measure, book.at(t + 100));
        assertSame(measure, book.at(t + 1_000_000));
    }

    @Test
    void aPhaseIsFoundByTheIndexACidCarries() {
        PhaseBook book = new PhaseBook();
        Phase p = book.start("measure", System.nanoTime(), 1);
        assertSame(p, book.get(p.index));
        assertEquals(0, book.get(0).index);
    }

    @Test
    void startingAPhaseEndsThePreviousOne() {
        PhaseBook book = new PhaseBook();
        long t = System.nanoTime();
        Phase a = book.start("a", t, 1);
        book.start("b", t + 2_000_000_000L, 1);
        assertEquals(2.0, a.seconds(), 1e-9);
    }

    @Test
    void errorsAreCountedByCode() {
        Phase p = new PhaseBook().start("x", System.nanoTime(), 0);
        p.error("RATE_LIMITED");
        p.error("RATE_LIMITED");
        p.error(null);
        assertEquals(2L, p.errors().get("RATE_LIMITED"));
        assertEquals(1L, p.errors().get("UNKNOWN"));
        assertEquals(3, p.errorCount());
    }
}
