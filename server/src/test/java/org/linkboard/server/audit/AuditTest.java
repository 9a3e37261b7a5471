package org.linkboard.server.audit;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin actions land in the audit log with who, when and what; only admins read it. */
class AuditTest {

    static TestServer server;
    static String admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonArray audit(String query) {
        var r = server.get("/api/audit" + query, admin);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonArray("entries");
    }

    /**
     * The trail writes an entry just after the answer went out, so a read right after may race it:
     * ask again until the entries are there (each ask is a round trip; no sleeping).
     */
    static JsonArray awaitAudit(String query, int atLeast) {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonArray entries = audit(query);
        while (entries.size() < atLeast) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("only " + entries.encode());
            entries = audit(query);
        }
        return entries;
    }

    @Test
    void adminActionsAreRecordedWithWhoWhenAndWhat() {
        Instant before = Instant.now().minusSeconds(1);
        server.createUnit(admin, "a-college", "college", "university");
        server.createUser(admin, "a-user", "a-college", "editor");
        String userId = server.get("/api/users", admin).bodyAsJsonArray().stream().map(o -> (JsonObject) o)
                .filter(u -> "a-user".equals(u.getString("username"))).findFirst().orElseThrow().getString("id");
        assertEquals(204, server.request(HttpMethod.DELETE, "/api/users/" + userId, admin, null).statusCode());
        String board = server.createBoard(admin, "to archive", "a-college");
        assertEquals(204, server.request(HttpMethod.DELETE, "/api/boards/" + board, admin, null).statusCode());

        JsonArray all = awaitAudit("?since=" + before, 4);
        List<String> actions = all.stream().map(e -> ((JsonObject) e).getString("action")).toList();
        assertEquals(List.of("board.archive", "user.delete", "user.create", "unit.create"), actions.subList(0, 4));
        JsonObject created = all.getJsonObject(2);
        assertEquals("u-admin", created.getString("actor"));
        assertEquals("a-user", created.getString("target"));
        assertEquals("a-college", created.getJsonObject("details").getString("unit"));
        assertFalse(created.encode().contains("a-user-pw"), "no password in the audit log");
        assertEquals(userId, all.getJsonObject(1).getString("target"));
        assertEquals(board, all.getJsonObject(0).getString("target"));
        assertTrue(Instant.parse(created.getString("at")).isAfter(before));
    }

    @Test
    void queriesFilterByActionActorTimeAndLimit() {
        server.createUnit(admin, "q-office", "office", "university");
        server.createUnit(admin, "q-dept", "department", "university");
        // Other tests create units too: wait for this test's own last entry, not for a count.
        long deadline = System.currentTimeMillis() + 10_000;
        while (audit("?action=unit.create&actor=u-admin").stream().noneMatch(e -> "q-dept".equals(((JsonObject) e).getString("target")))) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("no entry for q-dept");
        }
        JsonArray units = audit("?action=unit.create&actor=u-admin&limit=1");
        assertEquals(1, units.size());
        assertEquals("q-dept", units.getJsonObject(0).getString("target"));
        assertEquals(0, audit("?actor=nobody").size());
        assertEquals(0, audit("?until=2000-01-01T00:00:00Z").size());
        assertEquals(400, server.get("/api/audit?since=yesterday", admin).statusCode());
    }

    @Test
    void failedActionsAreNotRecordedAndOnlyAdminsRead() {
        int status = server.post("/api/units", admin, new JsonObject().put("id", "f-bad")).statusCode();
        assertTrue(status >= 400 && status < 500, "refused: " + status);
        // Entries are written in order: once a later action's entry is there, a refused one would be too.
        server.createUnit(admin, "f-ok", "office", "university");
        JsonArray entries = awaitAudit("?action=unit.create&since=" + Instant.now().minusSeconds(10), 1);
        long deadline = System.currentTimeMillis() + 10_000;
        while (entries.stream().noneMatch(e -> "f-ok".equals(((JsonObject) e).getString("target")))) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("no entry for f-ok: " + entries.encode());
            entries = audit("?action=unit.create&since=" + Instant.now().minusSeconds(10));
        }
        assertTrue(entries.stream().noneMatch(e -> "f-bad".equals(((JsonObject) e).getString("target"))));
        server.createUser(admin, "a-editor", "university", "editor");
        assertEquals(403, server.get("/api/audit", server.login("a-editor", "a-editor-pw")).statusCode());
    }
}
