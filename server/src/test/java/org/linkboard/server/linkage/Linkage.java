package org.linkboard.server.linkage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.linkboard.server.testing.TestServer;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ops, rollup reads and rollup assertions shared by the linkage tests. */
final class Linkage {

    private Linkage() {
    }

    static JsonObject card(String id, String title, Object... kv) {
        JsonObject fields = new JsonObject().put("title", title);
        for (int i = 0; i < kv.length; i += 2) fields.put((String) kv[i], kv[i + 1]);
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", fields);
    }

    static JsonObject goal(String id, String title, Object... kv) {
        JsonObject op = card(id, title, kv);
        return op.put("type", "goal");
    }

    static JsonObject link(String id, String board, String item) {
        return new JsonObject().put("kind", "link").put("id", id).put("to", new JsonObject().put("board", board).put("item", item));
    }

    static JsonObject unlink(String id, String board, String item) {
        return link(id, board, item).put("kind", "unlink");
    }

    static JsonObject set(String id, String field, Object value) {
        return new JsonObject().put("kind", "set").put("id", id).put("field", field).put("value", value);
    }

    static JsonObject delete(String id) {
        return new JsonObject().put("kind", "delete").put("id", id);
    }

    static HttpResponse<Buffer> submit(TestServer server, String token, String board, JsonObject op) {
        return server.post("/api/boards/" + board + "/ops", token, new JsonObject().put("cid", UUID.randomUUID().toString()).put("op", op));
    }

    /** Submits an op that must be accepted; answers its seq. */
    static long ok(TestServer server, String token, String board, JsonObject op) {
        HttpResponse<Buffer> r = submit(server, token, board, op);
        if (r.statusCode() != 200) throw new AssertionError("op " + op + " on " + board + " failed: " + r.statusCode() + " " + r.bodyAsString());
        return r.bodyAsJsonObject().getLong("seq");
    }

    /** Submits an op that must be refused; answers the error code. */
    static String refused(TestServer server, String token, String board, JsonObject op) {
        HttpResponse<Buffer> r = submit(server, token, board, op);
        if (r.statusCode() == 200) throw new AssertionError("op " + op + " on " + board + " was accepted");
        return r.bodyAsJsonObject().getJsonObject("error").getString("code");
    }

    /** The {@code rollup} member of a goal in the board's GET snapshot. */
    static JsonObject snapshotRollup(TestServer server, String token, String board, String item) {
        HttpResponse<Buffer> r = server.get("/api/boards/" + board + "/snapshot", token);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getJsonObject("items").getJsonObject(item).getJsonObject("rollup");
    }

    static JsonObject view(TestServer server, String token, String board, String item) {
        HttpResponse<Buffer> r = server.get("/api/boards/" + board + "/items/" + item + "/linkage", token);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static void assertRollup(int children, int done, double sum, double progress, JsonObject rollup) {
        String shown = String.valueOf(rollup);
        assertEquals(children, rollup.getInteger("children"), "children of " + shown);
        assertEquals(done, rollup.getInteger("done"), "done of " + shown);
        assertEquals(sum, rollup.getDouble("sum"), 1e-9, "sum of " + shown);
        assertEquals(progress, rollup.getDouble("progress"), 1e-9, "progress of " + shown);
    }
}
