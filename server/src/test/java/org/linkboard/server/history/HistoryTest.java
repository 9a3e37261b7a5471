package org.linkboard.server.history;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activity feed, named versions, the board at a version, and restore to a version as new ops. */
class HistoryTest {

    static TestServer server;
    static String admin;
    static String alice;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.snapshotEvery(10));
        admin = server.adminToken();
        HttpResponse<Buffer> r = server.post("/api/users", admin, new JsonObject().put("username", "alice").put("password", "alice-pw")
                .put("name", "Alice").put("unit", "university").put("roles", new JsonArray().add("editor")));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        alice = server.login("alice", "alice-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long op(String board, JsonObject op) {
        HttpResponse<Buffer> r = server.post("/api/boards/" + board + "/ops", alice, new JsonObject().put("op", op));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getLong("seq");
    }

    static JsonObject create(String id, String type, String parent, String title) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", type).put("parent", parent)
                .put("fields", new JsonObject().put("title", title));
    }

    static JsonObject set(String id, String field, Object value) {
        return new JsonObject().put("kind", "set").put("id", id).put("field", field).put("value", value);
    }

    static JsonObject withoutRollups(JsonObject items) {
        JsonObject out = items.copy();
        out.forEach(e -> ((JsonObject) e.getValue()).remove("rollup"));
        return out;
    }

    @Test
    void activityReadsLikeSentencesNewestFirstAndPages() {
        String b = server.createBoard(alice, "feed", "university");
        op(b, create("todo", "lane", null, "To do"));
        op(b, create("done", "lane", null, "Done"));
        op(b, create("korea", "card", "todo", "Exchange in Korea"));
        op(b, set("korea", "status", "done"));
        op(b, new JsonObject().put("kind", "move").put("id", "korea").put("parent", "done"));
        JsonObject page = server.get("/api/boards/" + b + "/activity?limit=3", alice).bodyAsJsonObject();
        List<String> summaries = page.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("summary")).toList();
        assertEquals(List.of("Alice moved card 'Exchange in Korea' to lane 'Done'",
                "Alice set status of card 'Exchange in Korea' to done",
                "Alice created card 'Exchange in Korea' in lane 'To do'"), summaries);
        JsonObject first = page.getJsonArray("entries").getJsonObject(0);
        assertEquals(5L, first.getLong("seq"));
        assertEquals("Alice", first.getJsonObject("by").getString("name"));
        assertEquals(3L, page.getLong("next"));
        JsonObject rest = server.get("/api/boards/" + b + "/activity?limit=3&before=3", alice).bodyAsJsonObject();
        assertEquals(List.of(2L, 1L), rest.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getLong("seq")).toList());
        assertEquals("Alice created lane 'Done'", rest.getJsonArray("entries").getJsonObject(0).getString("summary"));
        assertNull(rest.getValue("next"));
    }

    @Test
    void activityOutsideReadScopeIsNotFound() {
        server.createUnit(admin, "h-college", "college", "university");
        server.createUnit(admin, "h-office", "office", "university");
        server.createUser(admin, "h-viewer", "h-office", "viewer");
        String b = server.createBoard(admin, "private", "h-college");
        assertEquals(404, server.get("/api/boards/" + b + "/activity", server.login("h-viewer", "h-viewer-pw")).statusCode());
    }

    @Test
    void namedVersionCanBeViewedAndRestoredAsNewOpsEveryoneSees() {
        String b = server.createBoard(alice, "versions", "university");
        op(b, create("lane1", "lane", null, "Lane 1"));
        op(b, create("lane2", "lane", null, "Lane 2"));
        for (int i = 0; i < 12; i++) op(b, create("c" + i, "card", "lane1", "card " + i));
        op(b, set("c1", "status", "doing"));
        op(b, new JsonObject().put("kind", "create").put("id", "goal").put("type", "goal").put("fields", new JsonObject().put("title", "Goal")));
        op(b, new JsonObject().put("kind", "link").put("id", "c2").put("to", new JsonObject().put("board", b).put("item", "goal")));
        JsonObject atV = server.get("/api/boards/" + b + "/snapshot", alice).bodyAsJsonObject();
        long v = atV.getLong("version");

        HttpResponse<Buffer> saved = server.post("/api/boards/" + b + "/versions", alice, new JsonObject().put("name", "approved by the dean"));
        assertEquals(201, saved.statusCode(), saved.bodyAsString());
        assertEquals(v, saved.bodyAsJsonObject().getLong("version"));

        // Later edits of every kind, past a stored snapshot (every 10 ops).
        op(b, set("c1", "status", "done"));
        op(b, set("c3", "title", "renamed"));
        op(b, new JsonObject().put("kind", "move").put("id", "c4").put("parent", "lane2"));
        op(b, new JsonObject().put("kind", "delete").put("id", "c5"));
        op(b, new JsonObject().put("kind", "unlink").put("id", "c2").put("to", new JsonObject().put("board", b).put("item", "goal")));
        op(b, create("new1", "card", "lane2", "added later"));
        op(b, new JsonObject().put("kind", "move").put("id", "c6").put("parent", "new1"));
        op(b, new JsonObject().put("kind", "delete").put("id", "lane1"));
        for (int i = 0; i < 10; i++) op(b, create("x" + i, "card", "lane2", "extra " + i));

        JsonObject versions = server.get("/api/boards/" + b + "/versions", alice).bodyAsJsonObject();
        assertEquals("approved by the dean", versions.getJsonArray("versions").getJsonObject(0).getString("name"));
        JsonObject past = server.get("/api/boards/" + b + "/snapshot?version=" + v, alice).bodyAsJsonObject();
        assertEquals(v, past.getLong("version"));
        // Rollups are live values (the linkage decorates current snapshots), not history: compare without them.
        assertEquals(withoutRollups(atV.getJsonObject("items")), withoutRollups(past.getJsonObject("items")));
        assertEquals(422, server.get("/api/boards/" + b + "/snapshot?version=100000", alice).statusCode());

        try (WsClient watcher = server.connect(admin)) {
            watcher.next("welcome");
            long before = watcher.join(b).getLong("version");
            HttpResponse<Buffer> r = server.post("/api/boards/" + b + "/restore", alice, new JsonObject().put("version", v));
            assertEquals(200, r.statusCode(), r.bodyAsString());
            int ops = r.bodyAsJsonObject().getInteger("ops");
            assertTrue(ops > 0);
            List<JsonObject> seen = watcher.awaitCount(m -> "op".equals(m.getString("type")), ops);
            assertEquals(before + ops, seen.get(seen.size() - 1).getLong("seq"), "the restore arrives live as ops");
        }
        JsonObject now = server.get("/api/boards/" + b + "/snapshot", alice).bodyAsJsonObject();
        assertEquals(atV.getJsonObject("items"), now.getJsonObject("items"));
        JsonArray audit = server.get("/api/audit?action=board.restore", admin).bodyAsJsonObject().getJsonArray("entries");
        assertEquals(b, audit.getJsonObject(0).getString("target"));
    }
}
