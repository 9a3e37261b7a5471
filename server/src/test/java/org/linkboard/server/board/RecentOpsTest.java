package org.linkboard.server.board;

import org.junit.jupiter.api.Test;
import org.linkboard.server.store.LoggedOp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recent log's ring: what goes in comes out the same, in order, whatever the ring did meanwhile. */
class RecentOpsTest {

    private static LoggedOp op(long seq) {
        return new LoggedOp(seq, "{\"type\":\"create\",\"id\":\"c" + seq + "\",\"fields\":{\"title\":\"卡片 " + seq + "\"}}",
                "u" + (seq % 3), seq % 5 == 0 ? null : "cid-" + seq, 1_700_000_000_000L + seq);
    }

    private static List<LoggedOp> ops(long from, long to) {
        List<LoggedOp> ops = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) ops.add(op(seq));
        return ops;
    }

    @Test
    void theOpsAfterAVersionComeBackEqualAndOldestFirst() {
        RecentOps recent = new RecentOps();
        ops(1, 10).forEach(recent::add);

        assertEquals(ops(7, 10), recent.after(6));
        assertEquals(ops(1, 10), recent.after(0));
        assertTrue(recent.after(10).isEmpty());
    }

    @Test
    void opsWithoutACidAndWithTextOutsideAsciiSurviveThePacking() {
        RecentOps recent = new RecentOps();
        LoggedOp noCid = new LoggedOp(1, "{\"t\":\"\\\"quoted\\\" 𝄞 é\"}", "system", null, 5);
        LoggedOp oddCid = new LoggedOp(2, "{}", "u1", "ключ\n\"x\"", 6);
        recent.add(noCid);
        recent.add(oddCid);

        assertEquals(List.of(noCid, oddCid), recent.after(0));
    }

    @Test
    void removingTheOldestMovesTheWindowAcrossRingWrapsAndGrowth() {
        RecentOps recent = new RecentOps();
        long next = 1;
        // Interleave adds and removals so the ring wraps many times and grows while wrapped.
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 40 + round * 3; i++) recent.add(op(next++));
            for (int i = 0; i < 30; i++) recent.removeOldest();
        }
        long oldest = next - recent.size();

        assertEquals(oldest, recent.oldestSeq());
        assertEquals(next - 1, recent.newestSeq());
        assertEquals(ops(oldest, next - 1), recent.after(oldest - 1));
    }

    @Test
    void aRingGrownByPinnedOpsShrinksBackAndKeepsItsOps() {
        RecentOps recent = new RecentOps();
        ops(1, 100_000).forEach(recent::add);
        while (recent.size() > 1_000) recent.removeOldest();

        assertEquals(ops(99_001, 100_000), recent.after(99_000));
        ops(100_001, 100_010).forEach(recent::add);
        assertEquals(ops(99_996, 100_010), recent.after(99_995));
    }

    @Test
    void opsLargerThanAChunkAreKeptWhole() {
        RecentOps recent = new RecentOps();
        String big = "{\"text\":\"" + "x".repeat(RecentOps.CHUNK_BYTES + 10) + "\"}";
        recent.add(op(1));
        recent.add(new LoggedOp(2, big, "u1", "big", 7));
        recent.add(op(3));

        assertEquals(List.of(op(1), new LoggedOp(2, big, "u1", "big", 7), op(3)), recent.after(0));
    }

    @Test
    void aListTakenEarlierIsUnchangedByLaterAddsAndRemovals() throws Exception {
        RecentOps recent = new RecentOps();
        ops(1, 5_000).forEach(recent::add);
        List<LoggedOp> taken = recent.after(4_000);

        for (int i = 0; i < 4_900; i++) recent.removeOldest();
        ops(5_001, 20_000).forEach(recent::add);
        // Read on another thread, as a worker encoding a big catch-up does.
        List<LoggedOp> read = CompletableFuture.supplyAsync(() -> new ArrayList<>(taken)).get();

        assertEquals(ops(4_001, 5_000), read);
    }

    @Test
    void anOpNotAfterTheNewestIsRefused() {
        RecentOps recent = new RecentOps();
        recent.add(op(5));

        assertThrows(IllegalArgumentException.class, () -> recent.add(op(5)));
        assertThrows(IllegalArgumentException.class, () -> recent.add(op(4)));
        assertEquals(List.of(op(5)), recent.after(0));
    }

    @Test
    void anEmptyLogHasNoOldestSeq() {
        RecentOps recent = new RecentOps();

        assertTrue(recent.isEmpty());
        assertThrows(IllegalStateException.class, recent::oldestSeq);
        assertTrue(recent.after(0).isEmpty());
    }
}
