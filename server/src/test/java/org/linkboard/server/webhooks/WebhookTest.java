package org.linkboard.server.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks against a receiver on loopback: order, signatures, retries, replay, permissions. */
class WebhookTest {

    static TestServer server;
    static String admin;
    static Vertx receiverVertx;

    /** A local HTTP receiver: records every request; answers 500 to the first {@code failFirst} attempts of each delivery. */
    static final class Receiver {
        final List<JsonObject> received = new ArrayList<>();
        final List<String> signatures = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();
        final Map<String, Integer> attempts = new HashMap<>();
        volatile int failFirst;
        /** Answers this long after a delivery arrived (it is recorded on arrival). */
        volatile long answerAfterMs;
        HttpServer http;

        String url() {
            return "http://127.0.0.1:" + http.actualPort() + "/hook";
        }

        void start() {
            http = Await.result(receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                String delivery = req.getHeader("X-Linkboard-Delivery");
                int attempt;
                synchronized (this) {
                    attempt = attempts.merge(delivery, 1, Integer::sum);
                    received.add(new JsonObject(body.toString()));
                    bodies.add(body.toString());
                    signatures.add(req.getHeader(WebhookSignature.HEADER));
                    notifyAll();
                }
                int status = attempt <= failFirst ? 500 : 204;
                if (answerAfterMs > 0) {
                    receiverVertx.setTimer(answerAfterMs, t -> req.response().setStatusCode(status).end());
                } else {
                    req.response().setStatusCode(status).end();
                }
            })).listen(0, "127.0.0.1"));
        }

        synchronized List<JsonObject> await(int n) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (received.size() < n) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("only " + received.size() + " of " + n + " deliveries: " + received);
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return new ArrayList<>(received);
        }

        void stop() {
            Await.result(http.close());
        }
    }

    Receiver receiver;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.webhookRetryMillis(20));
        admin = server.adminToken();
        receiverVertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        server.close();
        Await.result(receiverVertx.close());
    }

    @BeforeEach
    void receiver() {
        receiver = new Receiver();
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop();
    }

    static JsonObject subscribe(String board, String url, JsonArray events) {
        HttpResponse<Buffer> r = server.post("/api/webhooks", admin, new JsonObject().put("url", url).put("board", board).put("events", events));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject();
    }

    static void op(String board, JsonObject op) {
        HttpResponse<Buffer> r = server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("op", op));
        assertEquals(200, r.statusCode(), r.bodyAsString());
    }

    static JsonObject card(String id) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", id));
    }

    @Test
    void receiverGetsEveryEventOnceInOrderWithAValidSignature() {
        String board = server.createBoard(admin, "hooked", "university");
        op(board, card("before")); // before the subscription: not delivered
        JsonObject hook = subscribe(board, receiver.url(), new JsonArray().add("op").add("item.created").add("item.moved"));
        String secret = hook.getString("secret");
        op(board, new JsonObject().put("kind", "create").put("id", "lane").put("type", "lane").put("fields", new JsonObject().put("title", "L")));
        op(board, card("a"));
        op(board, new JsonObject().put("kind", "move").put("id", "a").put("parent", "lane"));
        op(board, new JsonObject().put("kind", "set").put("id", "a").put("field", "status").put("value", "done"));
        op(board, new JsonObject().put("kind", "delete").put("id", "before"));
        List<JsonObject> got = receiver.await(8);
        List<String> ids = got.stream().map(e -> e.getString("id")).toList();
        assertEquals(List.of(board + ":2:op", board + ":2:item.created", board + ":3:op", board + ":3:item.created",
                board + ":4:op", board + ":4:item.moved", board + ":5:op", board + ":6:op"), ids);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(WebhookSignature.sign(secret, receiver.bodies.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    receiver.signatures.get(i), "signature of " + ids.get(i));
            assertEquals(hook.getString("id"), got.get(i).getString("hook"));
        }
        assertEquals("lane", got.get(5).getString("parent"));
        assertEquals("set", got.get(6).getJsonObject("op").getString("kind"));
        // One more op: its events come next, so nothing was sent twice in between.
        op(board, card("b"));
        assertEquals(List.of(board + ":7:op", board + ":7:item.created"),
                receiver.await(10).subList(8, 10).stream().map(e -> e.getString("id")).toList());
        assertTrue(receiver.signatures.get(0).startsWith("sha256="));
    }

    @Test
    void aRollupChangeOfAGoalReachesItsBoardsHooks() {
        String board = server.createBoard(admin, "goal board", "university");
        op(board, new JsonObject().put("kind", "create").put("id", "g").put("type", "goal")
                .put("fields", new JsonObject().put("title", "Send 10 abroad").put("metric", "students").put("target", 10)));
        subscribe(board, receiver.url(), new JsonArray().add("rollup.changed"));
        op(board, new JsonObject().put("kind", "create").put("id", "c").put("type", "card")
                .put("fields", new JsonObject().put("title", "c").put("students", 4)));
        op(board, new JsonObject().put("kind", "link").put("id", "c").put("to", new JsonObject().put("board", board).put("item", "g")));
        // The goal's own creation may also report its (empty) rollup; the link's change must follow.
        JsonObject event = null;
        for (int n = 1; event == null; n++) {
            List<JsonObject> got = receiver.await(n);
            JsonObject last = got.get(n - 1);
            assertEquals("rollup.changed", last.getString("type"));
            assertEquals("g", last.getString("item"));
            if (last.getJsonObject("rollup").getInteger("sum") == 4) event = last;
            assertTrue(n < 5, "no rollup with the linked card's 4 students: " + got);
        }
        assertEquals(1, event.getJsonObject("rollup").getInteger("children"));
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheRetries() {
        receiver.failFirst = 2;
        String board = server.createBoard(admin, "flaky", "university");
        JsonObject hook = subscribe(board, receiver.url(), new JsonArray().add("op"));
        op(board, card("x"));
        List<JsonObject> got = receiver.await(3);
        assertEquals(List.of(board + ":1:op", board + ":1:op", board + ":1:op"), got.stream().map(e -> e.getString("id")).toList());
        op(board, card("y"));
        receiver.await(6);
        // The receiver has answered the sixth attempt; the hook logs its status a moment later.
        JsonArray log;
        long deadline = System.currentTimeMillis() + 10_000;
        do {
            log = server.get("/api/webhooks/" + hook.getString("id") + "/deliveries", admin).bodyAsJsonObject().getJsonArray("deliveries");
        } while (log.size() < 6 && System.currentTimeMillis() < deadline);
        List<Integer> statuses = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0; i--) statuses.add(log.getJsonObject(i).getInteger("status"));
        assertEquals(List.of(500, 500, 204, 500, 500, 204), statuses, log.encodePrettily());
        assertEquals(3, log.getJsonObject(0).getInteger("attempt"));
    }

    @Test
    void replayFromASeqResendsExactlyTheEventsAfterIt() {
        String board = server.createBoard(admin, "replayed", "university");
        JsonObject hook = subscribe(board, receiver.url(), new JsonArray().add("op"));
        for (int i = 1; i <= 5; i++) op(board, card("c" + i));
        receiver.await(5);
        HttpResponse<Buffer> r = server.post("/api/webhooks/" + hook.getString("id") + "/replay?since=2", admin, null);
        assertEquals(202, r.statusCode(), r.bodyAsString());
        List<JsonObject> got = receiver.await(8);
        assertEquals(List.of(3L, 4L, 5L), got.subList(5, 8).stream().map(e -> e.getLong("seq")).toList());
        op(board, card("c6"));
        assertEquals(6L, receiver.await(9).get(8).getLong("seq"), "nothing else was resent");
    }

    /** A server of the test's own (it is restarted) with a board and a hook on it to the receiver. */
    private record OwnServer(TestServer server, java.nio.file.Path dir, String token, String board) {
        void op(String cardId) {
            assertEquals(200, server.post("/api/boards/" + board + "/ops", token, new JsonObject().put("op", card(cardId))).statusCode());
        }
    }

    private OwnServer ownServerWithHook(String title) {
        TestServer own = TestServer.start(o -> o.webhookRetryMillis(20));
        String token = own.adminToken();
        String board = own.createBoard(token, title, "university");
        HttpResponse<Buffer> created = own.post("/api/webhooks", token, new JsonObject().put("url", receiver.url()).put("board", board));
        assertEquals(201, created.statusCode(), created.bodyAsString());
        return new OwnServer(own, own.dataDir(), token, board);
    }

    @Test
    void aDeliveryUnderWayWhenTheServerStopsIsFinishedAndNotSentAgainAfterARestart() {
        OwnServer own = ownServerWithHook("stopping");
        receiver.answerAfterMs = 300;
        own.op("s1");
        receiver.await(1);

        // Stopped while the receiver has the delivery but has not answered it yet.
        own.server().stopKeepingData();
        receiver.answerAfterMs = 0;
        try (TestServer again = TestServer.start(own.dir(), o -> o.webhookRetryMillis(20))) {
            String t = again.adminToken();
            assertEquals(200, again.post("/api/boards/" + own.board() + "/ops", t, new JsonObject().put("op", card("s2"))).statusCode());
            assertEquals(List.of(1L, 2L), receiver.await(2).stream().map(e -> e.getLong("seq")).toList());
        }
    }

    @Test
    void afterARestartDeliveryResumesAfterThePersistedCursor() {
        OwnServer own = ownServerWithHook("restarted");
        own.op("r1");
        own.op("r2");
        receiver.await(2);
        own.server().stopKeepingData();
        try (TestServer again = TestServer.start(own.dir(), o -> o.webhookRetryMillis(20))) {
            String t = again.adminToken();
            assertEquals(200, again.post("/api/boards/" + own.board() + "/ops", t, new JsonObject().put("op", card("r3"))).statusCode());
            assertEquals(List.of(1L, 2L, 3L), receiver.await(3).stream().map(e -> e.getLong("seq")).toList());
            // The cursor is written as each op is delivered: a second restart would also resume at 3.
            JsonArray hooks = again.get("/api/webhooks", t).bodyAsJsonArray();
            assertEquals(1, hooks.size());
        }
    }

    @Test
    void onlyAdminsAndUnitAdminsOfTheBoardManageHooks() {
        server.createUnit(admin, "w-college", "college", "university");
        server.createUnit(admin, "w-office", "office", "university");
        server.createUser(admin, "w-editor", "w-college", "editor");
        server.createUser(admin, "w-office-admin", "w-office", "unit-admin");
        server.createUser(admin, "w-college-admin", "w-college", "unit-admin");
        String board = server.createBoard(admin, "college", "w-college");
        JsonObject body = new JsonObject().put("url", receiver.url()).put("board", board);
        assertEquals(403, server.post("/api/webhooks", server.login("w-editor", "w-editor-pw"), body).statusCode());
        assertEquals(404, server.post("/api/webhooks", server.login("w-office-admin", "w-office-admin-pw"), body).statusCode());
        HttpResponse<Buffer> ok = server.post("/api/webhooks", server.login("w-college-admin", "w-college-admin-pw"), body);
        assertEquals(201, ok.statusCode(), ok.bodyAsString());
        assertEquals(422, server.post("/api/webhooks", admin, body.copy().put("events", new JsonArray().add("nope"))).statusCode());
        assertEquals(422, server.post("/api/webhooks", admin, body.copy().put("url", "ftp://x")).statusCode());
        String id = ok.bodyAsJsonObject().getString("id");
        assertEquals(404, server.get("/api/webhooks/" + id, server.login("w-office-admin", "w-office-admin-pw")).statusCode());
        assertEquals(204, server.request(io.vertx.core.http.HttpMethod.DELETE, "/api/webhooks/" + id, admin, null).statusCode());
        assertEquals(404, server.get("/api/webhooks/" + id, admin).statusCode());
    }
}
