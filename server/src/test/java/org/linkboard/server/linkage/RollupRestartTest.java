package org.linkboard.server.linkage;

import org.junit.jupiter.api.Test;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linkboard.server.linkage.Linkage.assertRollup;
import static org.linkboard.server.linkage.Linkage.card;
import static org.linkboard.server.linkage.Linkage.goal;
import static org.linkboard.server.linkage.Linkage.link;
import static org.linkboard.server.linkage.Linkage.ok;
import static org.linkboard.server.linkage.Linkage.set;
import static org.linkboard.server.linkage.Linkage.snapshotRollup;

/**
 * Rollups survive a restart: the linkage rebuilds them from the boards' durable logs and
 * snapshots, verifies the result against a from-scratch recomputation, and goes on by deltas.
 */
class RollupRestartTest {

    @Test
    void rollupsAreTheSameAfterARestartAndKeepFollowingChanges() {
        Path dir;
        String uni;
        String college;
        TestServer first = TestServer.start(o -> o.snapshotEvery(5));
        {
            dir = first.dataDir();
            String admin = first.adminToken();
            first.createUnit(admin, "college", "college", "university");
            uni = first.createBoard(admin, "university", "university");
            college = first.createBoard(admin, "college", "college");
            ok(first, admin, uni, goal("g", "Goal", "metric", "students", "target", 100));
            ok(first, admin, college, goal("cg", "College goal", "metric", "students", "target", 10));
            ok(first, admin, college, link("cg", uni, "g"));
            for (int i = 0; i < 8; i++) { // more ops than snapshotEvery: restart reads a snapshot plus a tail
                ok(first, admin, college, card("c" + i, "Card " + i, "students", i + 1, "status", i % 2 == 0 ? "done" : "todo"));
                ok(first, admin, college, link("c" + i, i < 4 ? uni : college, i < 4 ? "g" : "cg"));
            }
            ok(first, admin, college, set("c7", "students", 2.5));
            // c0 and c2 are done, and so is the college goal: 20.5 of its target 10.
            assertRollup(5, 3, 10 + 5 + 6 + 7 + 2.5, 30.5, snapshotRollup(first, admin, uni, "g"));
            first.stopKeepingData();
        }
        try (TestServer second = TestServer.start(dir, o -> { })) {
            String admin = second.adminToken();
            assertTrue(second.server().linkage().verifiedAtStart(), "rebuilt rollups equal their recomputation");
            assertRollup(5, 3, 30.5, 30.5, snapshotRollup(second, admin, uni, "g"));
            assertRollup(4, 2, 20.5, 100, snapshotRollup(second, admin, college, "cg"));
            ok(second, admin, college, set("c0", "students", 11));
            assertRollup(5, 3, 40.5, 40.5, snapshotRollup(second, admin, uni, "g"));
            List<Map<LinkRef, Rollup>> both = Await.result(second.server().linkage().rollupsAndRecomputation());
            assertEquals(both.get(1), both.get(0));
        }
    }
}
