package org.linkboard.server.linkage;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.linkboard.server.linkage.Linkage.assertRollup;
import static org.linkboard.server.linkage.Linkage.card;
import static org.linkboard.server.linkage.Linkage.delete;
import static org.linkboard.server.linkage.Linkage.goal;
import static org.linkboard.server.linkage.Linkage.link;
import static org.linkboard.server.linkage.Linkage.ok;
import static org.linkboard.server.linkage.Linkage.set;
import static org.linkboard.server.linkage.Linkage.snapshotRollup;
import static org.linkboard.server.linkage.Linkage.unlink;

/**
 * Two live sessions, one on a college board and one on the university board: every change on the
 * college board that moves the university goal's rollup reaches the university session as a
 * {@code rollup} message with the right numbers (CONTRACT §5), through nested goals too.
 */
class LiveRollupTest {

    static TestServer server;
    static String admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUnit(admin, "office", "office", "university");
        server.createUnit(admin, "college", "college", "office");
        server.createUser(admin, "college-editor", "college", "editor");
        server.createUser(admin, "uni-viewer", "university", "viewer");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject nextRollup(WsClient c, String board, String item) {
        return c.next(m -> "rollup".equals(m.getString("type")) && board.equals(m.getString("board")) && item.equals(m.getString("item")))
                .getJsonObject("rollup");
    }

    @Test
    void everyContributingChangeOnACollegeBoardPushesTheUniversityGoalsRollup() {
        String uni = server.createBoard(admin, "university plan", "university");
        String office = server.createBoard(admin, "office plan", "office");
        String college = server.createBoard(admin, "college plan", "college");
        ok(server, admin, uni, goal("g", "Send 100 students abroad", "metric", "students", "target", 100));
        ok(server, admin, office, goal("o", "Office share", "metric", "students", "target", 40));
        ok(server, admin, office, link("o", uni, "g"));
        String editor = server.login("college-editor", "college-editor-pw");
        try (WsClient collegeSession = server.connect(editor); WsClient uniSession = server.connect(server.login("uni-viewer", "uni-viewer-pw"))) {
            collegeSession.next("welcome");
            uniSession.next("welcome");
            collegeSession.join(college);
            JsonObject joined = uniSession.join(uni);
            assertRollup(1, 0, 0, 0, joined.getJsonObject("snapshot").getJsonObject("items").getJsonObject("g").getJsonObject("rollup"));

            assertEquals("ack", collegeSession.op(college, "c1", card("c1", "Germany", "students", 10)).getString("type"));
            assertEquals("ack", collegeSession.op(college, "l1", link("c1", uni, "g")).getString("type"));
            assertRollup(2, 0, 10, 10, nextRollup(uniSession, uni, "g"));

            collegeSession.op(college, "s1", set("c1", "students", 25));
            assertRollup(2, 0, 25, 25, nextRollup(uniSession, uni, "g"));

            collegeSession.op(college, "s2", set("c1", "status", "done"));
            assertRollup(2, 1, 25, 25, nextRollup(uniSession, uni, "g"));

            collegeSession.op(college, "c2", card("c2", "Japan", "students", 5, "progress", 100));
            collegeSession.op(college, "l2", link("c2", uni, "g"));
            assertRollup(3, 2, 30, 30, nextRollup(uniSession, uni, "g"));

            collegeSession.op(college, "u2", unlink("c2", uni, "g"));
            assertRollup(2, 1, 25, 25, nextRollup(uniSession, uni, "g"));

            // Through the office goal: card → office goal → university goal.
            collegeSession.op(college, "l3", link("c2", office, "o"));
            assertRollup(2, 1, 30, 30, nextRollup(uniSession, uni, "g"));
            collegeSession.op(college, "s3", set("c2", "students", 40));
            assertRollup(2, 2, 65, 65, nextRollup(uniSession, uni, "g")); // the office goal reached its target: done

            collegeSession.op(college, "d1", delete("c1"));
            assertRollup(1, 1, 40, 40, nextRollup(uniSession, uni, "g")); // only the office goal is left, still done

            assertEquals(204, server.request(HttpMethod.DELETE, "/api/boards/" + college, admin, null).statusCode());
            assertRollup(1, 0, 0, 0, nextRollup(uniSession, uni, "g"));
        }
        assertRollup(1, 0, 0, 0, snapshotRollup(server, admin, uni, "g"));
    }

    @Test
    void theGoalsOwnBoardSessionsGetItsRollupWhenItsTargetOrMetricChanges() {
        String uni = server.createBoard(admin, "targets", "university");
        String college = server.createBoard(admin, "college targets", "college");
        ok(server, admin, uni, goal("g", "Goal", "metric", "students", "target", 50));
        ok(server, admin, college, card("c", "Card", "students", 10, "credits", 3));
        ok(server, admin, college, link("c", uni, "g"));
        try (WsClient s = server.connect(admin)) {
            s.next("welcome");
            s.join(uni);
            s.op(uni, "t", set("g", "target", 20));
            assertRollup(1, 0, 10, 50, nextRollup(s, uni, "g"));
            s.op(uni, "m", set("g", "metric", "credits"));
            assertRollup(1, 0, 3, 15, nextRollup(s, uni, "g"));
            s.op(uni, "n", set("g", "metric", null));
            assertRollup(1, 0, 0, 0, nextRollup(s, uni, "g")); // no metric: progress counts done children
        }
    }

    @Test
    void snapshotsShowTheRollupOfEveryGoal() {
        String uni = server.createBoard(admin, "snapshots", "university");
        ok(server, admin, uni, goal("g", "Goal", "metric", "students", "target", 10));
        ok(server, admin, uni, goal("empty", "No children"));
        ok(server, admin, uni, card("c", "Card", "students", 4));
        ok(server, admin, uni, link("c", uni, "g"));
        assertRollup(1, 0, 4, 40, snapshotRollup(server, admin, uni, "g"));
        assertRollup(0, 0, 0, 0, snapshotRollup(server, admin, uni, "empty"));
        JsonObject card = server.get("/api/boards/" + uni + "/snapshot", admin).bodyAsJsonObject().getJsonObject("items").getJsonObject("c");
        assertEquals(null, card.getValue("rollup"), "only goals carry a rollup");
    }

    @Test
    void aSessionRejoiningWithSinceGetsTheCurrentRollupsOfTheBoardsGoals() {
        String uni = server.createBoard(admin, "rejoin", "university");
        String college = server.createBoard(admin, "rejoin college", "college");
        ok(server, admin, uni, goal("g", "Goal", "metric", "students", "target", 10));
        long version = ok(server, admin, uni, goal("h", "Other goal"));
        ok(server, admin, college, card("c", "Card", "students", 3));
        ok(server, admin, college, link("c", uni, "g")); // while the session is away: no op on the university board
        try (WsClient s = server.connect(admin)) {
            s.next("welcome");
            s.send(new JsonObject().put("type", "join").put("board", uni).put("since", version));
            JsonObject joined = s.next("joined");
            assertEquals(0, joined.getJsonArray("ops").size());
            assertRollup(1, 0, 3, 30, nextRollup(s, uni, "g"));
            assertRollup(0, 0, 0, 0, nextRollup(s, uni, "h"));
        }
    }
}
