package org.linkboard.server.collab;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in {@code comment} and {@code check} types: placement, author stamping, who may edit. */
class CommentsAndChecklistsTest {

    static TestServer server;
    static String admin;
    static String alice;
    static String bob;
    static String board;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUser(admin, "alice", "university", "editor");
        server.createUser(admin, "bob", "university", "editor");
        alice = server.login("alice", "alice-pw");
        bob = server.login("bob", "bob-pw");
        board = server.createBoard(admin, "Collab", "university");
        assertEquals(200, op(admin, create("lane1", "lane", null, new JsonObject().put("title", "Todo"))).statusCode());
        assertEquals(200, op(admin, create("card1", "card", "lane1", new JsonObject().put("title", "Write report"))).statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject create(String id, String type, String parent, JsonObject fields) {
        JsonObject op = new JsonObject().put("kind", "create").put("id", id).put("type", type).put("fields", fields);
        if (parent != null) op.put("parent", parent);
        return op;
    }

    static HttpResponse<Buffer> op(String token, JsonObject op) {
        return server.post("/api/boards/" + board + "/ops", token, new JsonObject().put("cid", "c" + seq.incrementAndGet()).put("op", op));
    }

    static JsonObject item(String id) {
        return server.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject().getJsonObject("items").getJsonObject(id);
    }

    static String errorField(HttpResponse<Buffer> r) {
        return r.statusCode() + " " + r.bodyAsJsonObject().getJsonObject("error").getString("code") + " "
                + r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details", new JsonObject()).getString("field");
    }

    static String userId(String token) {
        return server.get("/api/me", token).bodyAsJsonObject().getString("id");
    }

    @Test
    void aCommentUnderACardIsStampedWithItsAuthorWhateverTheClientClaims() {
        HttpResponse<Buffer> r = op(alice, create("cm1", "comment", "card1", new JsonObject().put("text", "Looks good").put("author", "u-admin")));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject c = item("cm1");
        assertEquals("Looks good", c.getJsonObject("fields").getString("text"));
        assertEquals(userId(alice), c.getJsonObject("fields").getString("author"));
        assertEquals("card1", c.getString("parent"));
    }

    @Test
    void aManagerMayRestoreACommentUnderItsOriginalAuthor() {
        HttpResponse<Buffer> r = op(admin, create("cm10", "comment", "card1", new JsonObject().put("text", "restored").put("author", userId(alice))));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals(userId(alice), item("cm10").getJsonObject("fields").getString("author"));
    }

    @Test
    void aCommentNeedsText() {
        assertEquals("422 VALIDATION_FAILED text", errorField(op(alice, create("cm2", "comment", "card1", new JsonObject()))));
    }

    @Test
    void aCommentLongerThanTwentyThousandCharactersIsRefused() {
        String text = "x".repeat(20_001);
        assertEquals("422 VALIDATION_FAILED text", errorField(op(alice, create("cm3", "comment", "card1", new JsonObject().put("text", text)))));
    }

    @Test
    void aCommentAtTheTopOrUnderALaneIsRefused() {
        assertEquals("422 VALIDATION_FAILED parent", errorField(op(alice, create("cm4", "comment", null, new JsonObject().put("text", "hi")))));
        assertEquals("422 VALIDATION_FAILED parent", errorField(op(alice, create("cm5", "comment", "lane1", new JsonObject().put("text", "hi")))));
    }

    @Test
    void nothingLivesUnderACommentOrACheck() {
        assertEquals(200, op(alice, create("cm6", "comment", "card1", new JsonObject().put("text", "parent?"))).statusCode());
        assertEquals("422 VALIDATION_FAILED parent", errorField(op(alice, create("cm7", "comment", "cm6", new JsonObject().put("text", "reply")))));
        assertEquals("422 VALIDATION_FAILED parent", errorField(op(alice, create("cd7", "card", "cm6", new JsonObject().put("title", "x")))));
    }

    @Test
    void theAuthorCannotBeRewritten() {
        assertEquals(200, op(alice, create("cm8", "comment", "card1", new JsonObject().put("text", "mine"))).statusCode());
        HttpResponse<Buffer> r = op(alice, new JsonObject().put("kind", "set").put("id", "cm8").put("field", "author").put("value", userId(bob)));
        assertEquals("422 VALIDATION_FAILED author", errorField(r));
    }

    @Test
    void onlyTheAuthorOrAManagerChangesAComment() {
        assertEquals(200, op(alice, create("cm9", "comment", "card1", new JsonObject().put("text", "original"))).statusCode());
        HttpResponse<Buffer> byBob = op(bob, new JsonObject().put("kind", "set").put("id", "cm9").put("field", "text").put("value", "hijacked"));
        assertEquals(403, byBob.statusCode());
        assertEquals(403, op(bob, new JsonObject().put("kind", "delete").put("id", "cm9")).statusCode());
        assertEquals(200, op(alice, new JsonObject().put("kind", "set").put("id", "cm9").put("field", "text").put("value", "edited")).statusCode());
        assertEquals("edited", item("cm9").getJsonObject("fields").getString("text"));
        assertEquals(200, op(admin, new JsonObject().put("kind", "delete").put("id", "cm9")).statusCode());
    }

    @Test
    void checklistEntriesAreOrderedChildrenWithDoneAssigneeAndDue() {
        assertEquals(200, op(alice, create("ck1", "check", "card1", new JsonObject().put("text", "Draft"))).statusCode());
        assertEquals(200, op(alice, create("ck2", "check", "card1", new JsonObject().put("text", "Review").put("done", true)
                .put("assignee", "bob").put("due", "2030-01-31"))).statusCode());
        JsonObject first = item("ck1");
        JsonObject second = item("ck2");
        assertTrue(first.getString("pos").compareTo(second.getString("pos")) < 0, "appended after the first");
        assertTrue(second.getJsonObject("fields").getBoolean("done"));
        assertEquals(200, op(bob, new JsonObject().put("kind", "set").put("id", "ck1").put("field", "done").put("value", true)).statusCode());
        assertTrue(item("ck1").getJsonObject("fields").getBoolean("done"));
    }

    @Test
    void aCheckIsValidatedLikeAnyField() {
        assertEquals("422 VALIDATION_FAILED done", errorField(op(alice, create("ck3", "check", "card1",
                new JsonObject().put("text", "x").put("done", "yes")))));
        assertEquals("422 VALIDATION_FAILED due", errorField(op(alice, create("ck4", "check", "card1",
                new JsonObject().put("text", "x").put("due", "tomorrow")))));
        assertEquals("422 VALIDATION_FAILED text", errorField(op(alice, create("ck5", "check", "card1", new JsonObject()))));
    }

    @Test
    void aCheckCannotBeMovedToTheTopOfTheBoard() {
        assertEquals(200, op(alice, create("ck6", "check", "card1", new JsonObject().put("text", "stay"))).statusCode());
        HttpResponse<Buffer> r = op(alice, new JsonObject().put("kind", "move").put("id", "ck6").putNull("parent"));
        assertEquals("422 VALIDATION_FAILED parent", errorField(r));
        assertFalse(item("ck6").getString("parent") == null);
    }
}
