package org.linkboard.server.realtime;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONTRACT §5 message by message, against a real server and real sockets. */
class WebSocketProtocolTest {

    static TestServer server;
    static String admin;
    static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUnit(admin, "college-a", "college", "university");
        server.createUnit(admin, "college-b", "college", "university");
        server.createUser(admin, "a-editor", "college-a", "editor");
        server.createUser(admin, "b-editor", "college-b", "editor");
        server.createUser(admin, "uni-viewer", "university", "viewer");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String board() {
        return server.createBoard(admin, "board " + ids.incrementAndGet(), "university");
    }

    static JsonObject card(String id, String title) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", title));
    }

    @Test
    void headerAuthGetsWelcomeWithSessionAndUser() {
        try (WsClient c = server.connect(admin)) {
            JsonObject welcome = c.next("welcome");
            assertNotNull(welcome.getString("session"));
            assertEquals("admin", welcome.getJsonObject("user").getString("username"));
        }
    }

    @Test
    void firstMessageAuthGetsWelcome() {
        try (WsClient c = server.connect(null)) {
            c.send(new JsonObject().put("type", "auth").put("token", admin));
            assertEquals("admin", c.next("welcome").getJsonObject("user").getString("username"));
        }
    }

    @Test
    void badTokenGetsUnauthenticatedThenClose4401() {
        try (WsClient c = server.connect(null)) {
            c.send(new JsonObject().put("type", "auth").put("token", "not.a.token"));
            assertEquals("UNAUTHENTICATED", c.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, c.awaitClose());
        }
    }

    @Test
    void badHeaderTokenGetsUnauthenticatedThenClose4401() {
        try (WsClient c = server.connect("garbage")) {
            assertEquals("UNAUTHENTICATED", c.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, c.awaitClose());
        }
    }

    @Test
    void joinAnswersSnapshotFormWithVersionAndPeers() {
        String b = board();
        try (WsClient c = server.connect(admin)) {
            c.next("welcome");
            JsonObject joined = c.join(b);
            assertEquals("joined", joined.getString("type"));
            assertEquals(0L, joined.getLong("version"));
            assertTrue(joined.getJsonObject("snapshot").getJsonObject("items").isEmpty());
            assertTrue(joined.getJsonArray("peers").isEmpty());
        }
    }

    @Test
    void opIsAckedToSenderAndBroadcastToOthers() {
        String b = board();
        try (WsClient a = server.connect(admin); WsClient other = server.connect(admin)) {
            a.join(b);
            other.join(b);
            JsonObject ack = a.op(b, "c1", card("x1", "Hello"));
            assertEquals("ack", ack.getString("type"));
            assertEquals(1L, ack.getLong("seq"));
            JsonObject op = other.next("op");
            assertEquals(1L, op.getLong("seq"));
            assertEquals("c1", op.getString("cid"));
            assertEquals("u-admin", op.getString("by"));
            assertEquals("x1", op.getJsonObject("op").getString("id"));
            assertNotNull(op.getJsonObject("op").getString("pos"), "broadcast ops carry the server-assigned pos");
        }
    }

    @Test
    void invalidOpIsRejectedWithCodeAndChangesNothing() {
        String b = board();
        try (WsClient a = server.connect(admin)) {
            a.join(b);
            JsonObject reject = a.op(b, "bad", new JsonObject().put("kind", "create").put("id", "x").put("type", "card")
                    .put("fields", new JsonObject()));
            assertEquals("reject", reject.getString("type"));
            assertEquals("VALIDATION_FAILED", reject.getJsonObject("error").getString("code"));
            assertEquals(0L, server.get("/api/boards/" + b, admin).bodyAsJsonObject().getLong("version"));
        }
    }

    @Test
    void createWithExistingIdIsRejectedIdTaken() {
        String b = board();
        try (WsClient a = server.connect(admin)) {
            a.join(b);
            a.op(b, "c1", card("dup", "one"));
            JsonObject reject = a.op(b, "c2", card("dup", "two"));
            assertEquals("ID_TAKEN", reject.getJsonObject("error").getString("code"));
        }
    }

    @Test
    void resendOfAckedCidAfterReconnectReturnsOriginalSeq() {
        String b = board();
        try (WsClient a = server.connect(admin)) {
            a.join(b);
            assertEquals(1L, a.op(b, "same-cid", card("r1", "once")).getLong("seq"));
            a.op(b, "other", card("r2", "twice"));
        }
        try (WsClient again = server.connect(admin)) {
            again.join(b);
            JsonObject ack = again.op(b, "same-cid", card("r1", "once"));
            assertEquals("ack", ack.getString("type"));
            assertEquals(1L, ack.getLong("seq"));
        }
        assertEquals(2L, server.get("/api/boards/" + b, admin).bodyAsJsonObject().getLong("version"));
    }

    @Test
    void joinSinceReturnsExactlyTheMissingOps() {
        String b = board();
        try (WsClient a = server.connect(admin)) {
            a.join(b);
            for (int i = 1; i <= 5; i++) a.op(b, "s" + i, card("s" + i, "card " + i));
        }
        try (WsClient late = server.connect(admin)) {
            late.next("welcome");
            late.send(new JsonObject().put("type", "join").put("board", b).put("since", 3));
            JsonObject joined = late.next("joined");
            assertEquals(5L, joined.getLong("version"));
            assertEquals(2, joined.getJsonArray("ops").size());
            assertEquals(4L, joined.getJsonArray("ops").getJsonObject(0).getLong("seq"));
            assertEquals(5L, joined.getJsonArray("ops").getJsonObject(1).getLong("seq"));
            assertEquals("s5", joined.getJsonArray("ops").getJsonObject(1).getString("cid"));
            assertFalse(joined.containsKey("snapshot"));
        }
    }

    @Test
    void presenceIsForwardedAndLeaveIsAnnounced() {
        String b = board();
        try (WsClient a = server.connect(admin); WsClient other = server.connect(admin)) {
            String sessionA = a.next("welcome").getString("session");
            a.join(b);
            other.join(b);
            a.send(new JsonObject().put("type", "presence").put("board", b).put("state", new JsonObject().put("editing", "x")));
            JsonObject p = other.next(m -> "presence".equals(m.getString("type")) && m.getJsonObject("state") != null
                    && "x".equals(m.getJsonObject("state").getString("editing")));
            assertEquals(sessionA, p.getString("session"));
            assertEquals("u-admin", p.getJsonObject("user").getString("id"));
            a.send(new JsonObject().put("type", "leave").put("board", b));
            JsonObject left = other.next(m -> "presence".equals(m.getString("type")) && m.getBoolean("left", false));
            assertEquals(sessionA, left.getString("session"));
        }
    }

    @Test
    void droppedConnectionIsAnnouncedAsLeft() {
        String b = board();
        try (WsClient other = server.connect(admin)) {
            other.join(b);
            String sessionA;
            try (WsClient a = server.connect(admin)) {
                sessionA = a.next("welcome").getString("session");
                a.join(b);
            }
            JsonObject left = other.next(m -> "presence".equals(m.getString("type")) && m.getBoolean("left", false));
            assertEquals(sessionA, left.getString("session"));
        }
    }

    @Test
    void joinListsPeersAlreadyThere() {
        String b = board();
        try (WsClient a = server.connect(admin); WsClient late = server.connect(admin)) {
            String sessionA = a.next("welcome").getString("session");
            a.join(b);
            JsonObject joined = late.join(b);
            assertEquals(sessionA, joined.getJsonArray("peers").getJsonObject(0).getString("session"));
        }
    }

    @Test
    void pingGetsPong() {
        try (WsClient c = server.connect(admin)) {
            c.send(new JsonObject().put("type", "ping"));
            assertNotNull(c.next("pong"));
        }
    }

    @Test
    void malformedJsonGetsBadMessageAndKeepsTheConnection() {
        try (WsClient c = server.connect(admin)) {
            c.sendRaw("{not json");
            assertEquals("BAD_MESSAGE", c.next("error").getJsonObject("error").getString("code"));
            c.send(new JsonObject().put("type", "ping"));
            assertNotNull(c.next("pong"));
        }
    }

    @Test
    void nonObjectGetsBadMessage() {
        try (WsClient c = server.connect(admin)) {
            c.sendRaw("[1,2,3]");
            assertEquals("BAD_MESSAGE", c.next("error").getJsonObject("error").getString("code"));
        }
    }

    @Test
    void missingTypeGetsBadMessage() {
        try (WsClient c = server.connect(admin)) {
            c.send(new JsonObject().put("board", "x"));
            assertEquals("BAD_MESSAGE", c.next("error").getJsonObject("error").getString("code"));
        }
    }

    @Test
    void unknownTypeGetsBadMessage() {
        try (WsClient c = server.connect(admin)) {
            c.send(new JsonObject().put("type", "teleport"));
            assertEquals("BAD_MESSAGE", c.next("error").getJsonObject("error").getString("code"));
        }
    }

    @Test
    void opOnBoardNotJoinedGetsBadRequest() {
        String b = board();
        try (WsClient c = server.connect(admin)) {
            c.next("welcome");
            c.send(new JsonObject().put("type", "op").put("board", b).put("cid", "c").put("op", card("z", "z")));
            assertEquals("BAD_REQUEST", c.next("error").getJsonObject("error").getString("code"));
        }
    }

    @Test
    void joinOutsideReadScopeGetsNotFoundWithBoard() {
        String bBoard = server.createBoard(admin, "college b plan", "college-b");
        try (WsClient c = server.connect(server.login("a-editor", "a-editor-pw"))) {
            c.next("welcome");
            JsonObject error = c.join(bBoard);
            assertEquals("error", error.getString("type"));
            assertEquals(bBoard, error.getString("board"));
            assertEquals("NOT_FOUND", error.getJsonObject("error").getString("code"));
        }
    }

    @Test
    void joinOfUnknownBoardLooksExactlyLikeOutOfScope() {
        try (WsClient c = server.connect(server.login("a-editor", "a-editor-pw"))) {
            c.next("welcome");
            JsonObject error = c.join("no-such-board");
            assertEquals("NOT_FOUND", error.getJsonObject("error").getString("code"));
        }
    }

    @Test
    void opOutsideWriteScopeIsRejectedForbidden() {
        String uniBoard = board();
        try (WsClient c = server.connect(server.login("a-editor", "a-editor-pw"))) {
            c.join(uniBoard);
            JsonObject reject = c.op(uniBoard, "nope", card("n", "n"));
            assertEquals("reject", reject.getString("type"));
            assertEquals("FORBIDDEN", reject.getJsonObject("error").getString("code"));
        }
    }

    @Test
    void viewerCannotWrite() {
        String uniBoard = board();
        try (WsClient c = server.connect(server.login("uni-viewer", "uni-viewer-pw"))) {
            c.join(uniBoard);
            assertEquals("FORBIDDEN", c.op(uniBoard, "v", card("v", "v")).getJsonObject("error").getString("code"));
        }
    }

    @Test
    void frameOverTheLimitClosesWith1009() {
        try (WsClient c = server.connect(admin)) {
            c.next("welcome");
            c.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300 * 1024) + "\"}");
            assertEquals(1009, c.awaitClose());
        }
    }

    @Test
    void refreshedTokenKeepsTheSessionOpen() {
        try (WsClient c = server.connect(admin)) {
            c.next("welcome");
            c.send(new JsonObject().put("type", "auth").put("token", server.adminToken()));
            c.send(new JsonObject().put("type", "ping"));
            assertNotNull(c.next("pong"));
            assertFalse(c.isClosed());
        }
    }
}
