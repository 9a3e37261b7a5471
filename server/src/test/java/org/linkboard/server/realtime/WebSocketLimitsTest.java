package org.linkboard.server.realtime;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protective limits of CONTRACT §5: flooding and slow readers. */
class WebSocketLimitsTest {

    @Test
    void sustainedFloodingGetsRateLimitedThenClose4429() {
        try (TestServer server = TestServer.start(o -> o.wsRatePerSecond(50).wsBurst(50));
             WsClient c = server.connect(server.adminToken())) {
            c.next("welcome");
            for (int i = 0; i < 400; i++) {
                c.socket().writeTextMessage("{\"type\":\"ping\"}");
            }
            assertEquals("RATE_LIMITED", c.next("error").getJsonObject("error").getString("code"));
            assertEquals(4429, c.awaitClose());
        }
    }

    @Test
    void messagesWithinTheRateAreAllServed() {
        try (TestServer server = TestServer.start(o -> o.wsRatePerSecond(50).wsBurst(50));
             WsClient c = server.connect(server.adminToken())) {
            c.next("welcome");
            for (int i = 0; i < 40; i++) {
                c.send(new JsonObject().put("type", "ping"));
            }
            for (int i = 0; i < 40; i++) c.next("pong");
            assertTrue(c.all().stream().noneMatch(m -> "error".equals(m.getString("type"))));
        }
    }

    @Test
    void slowReaderIsDisconnectedWithoutSlowingOthers() throws Exception {
        try (TestServer server = TestServer.start(o -> o.sessionQueueBytes(1024 * 1024))) {
            String admin = server.adminToken();
            String board = server.createBoard(admin, "busy", "university");
            try (WsClient writer = server.connect(admin); WsClient slow = server.connect(admin); WsClient healthy = server.connect(admin)) {
                writer.join(board);
                slow.join(board);
                healthy.join(board);
                int before = server.server().realtime().openSessions();
                slow.socket().pause();
                String big = "d".repeat(19_000);
                // Far more than the paused reader's kernel buffers can hold, sent at the pace of acks.
                int n = 1000;
                for (int i = 0; i < n; i++) {
                    JsonObject op = new JsonObject().put("kind", "create").put("id", "big" + i).put("type", "card")
                            .put("fields", new JsonObject().put("title", "t" + i).put("description", big));
                    assertEquals("ack", writer.op(board, "w" + i, op).getString("type"));
                }
                long lastSeq = 0;
                for (int i = 0; i < n; i++) {
                    JsonObject op = healthy.next("op");
                    assertEquals(lastSeq + 1, op.getLong("seq"), "the healthy reader sees every op in order");
                    lastSeq = op.getLong("seq");
                }
                long deadline = System.currentTimeMillis() + 15_000;
                while (server.server().realtime().openSessions() >= before && System.currentTimeMillis() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20); // polling server state, not waiting for an event we could hook
                }
                assertEquals(before - 1, server.server().realtime().openSessions(), "the slow session was dropped");
                slow.socket().resume();
                assertEquals(4408, slow.awaitClose());
                // What it did get before the close has no gap: frames after a dropped one are never sent.
                List<Long> seen = slow.all().stream().filter(m -> "op".equals(m.getString("type"))).map(m -> m.getLong("seq")).toList();
                for (int i = 0; i < seen.size(); i++) assertEquals(i + 1L, seen.get(i), "op frames up to the close: " + seen);
            }
        }
    }

    @Test
    void aRejoinLargerThanTheSlowReaderLimitIsNotCutOffForItsCatchUp() throws Exception {
        try (TestServer server = TestServer.start(o -> o.sessionQueueBytes(1024 * 1024))) {
            String admin = server.adminToken();
            String board = server.createBoard(admin, "busy", "university");
            try (WsClient writer = server.connect(admin); WsClient rejoining = server.connect(admin)) {
                writer.join(board);
                String big = "d".repeat(19_000);
                int n = 750; // ~14 MB of ops: more than the limit and the kernel's buffers hold, under the client's 16 MiB message limit
                for (int i = 0; i < n; i++) {
                    JsonObject op = new JsonObject().put("kind", "create").put("id", "big" + i).put("type", "card")
                            .put("fields", new JsonObject().put("title", "t" + i).put("description", big));
                    assertEquals("ack", writer.op(board, "w" + i, op).getString("type"));
                }
                String session = rejoining.next("welcome").getString("session");
                rejoining.socket().pause();
                rejoining.send(new JsonObject().put("type", "join").put("board", board).put("since", 0));
                // Its catch-up is queued once the others see it arrive.
                writer.next(m -> "presence".equals(m.getString("type")) && session.equals(m.getString("session")));
                // Live ops after the catch-up, while it still waits unread: a few KB behind, not 9 MB.
                for (int i = 0; i < 5; i++) {
                    JsonObject op = new JsonObject().put("kind", "create").put("id", "live" + i).put("type", "card")
                            .put("fields", new JsonObject().put("title", "live " + i));
                    JsonObject answer = writer.op(board, "l" + i, op);
                    assertEquals("ack", answer.getString("type"), answer.encode());
                }
                String metrics = server.get("/metrics", admin).bodyAsString();
                rejoining.socket().resume();

                JsonObject joined = rejoining.next("joined");
                assertEquals(n, joined.getJsonArray("ops").size());
                assertEquals(5, rejoining.awaitCount(m -> "op".equals(m.getString("type")), 5).size());
                assertTrue(!rejoining.isClosed(), "caught up, not cut off");
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("linkboard_ws_slow_reader_closes_total") && l.endsWith(" 0.0")),
                        "no slow-reader close");
            }
        }
    }

    @Test
    void aWriterThatDoesNotReadIsHeldBackUntilItReadsNotCutOff() {
        try (TestServer server = TestServer.start(o -> o.sessionQueueBytes(256 * 1024 * 1024))) {
            String admin = server.adminToken();
            String board = server.createBoard(admin, "busy", "university");
            try (WsClient bulk = server.connect(admin); WsClient lazy = server.connect(admin)) {
                bulk.join(board);
                lazy.join(board);
                lazy.socket().pause();
                String big = "d".repeat(19_000);
                // Far more than the kernel buffers of a reader that does not read can hold.
                for (int i = 0; i < 1000; i++) {
                    JsonObject op = new JsonObject().put("kind", "create").put("id", "big" + i).put("type", "card")
                            .put("fields", new JsonObject().put("title", "t" + i).put("description", big));
                    assertEquals("ack", bulk.op(board, "w" + i, op).getString("type"));
                }
                int mine = 200;
                for (int i = 0; i < mine; i++) {
                    lazy.send(new JsonObject().put("type", "op").put("board", board).put("cid", "lazy" + i)
                            .put("op", new JsonObject().put("kind", "create").put("id", "lazy" + i).put("type", "card")
                                    .put("fields", new JsonObject().put("title", "l" + i))));
                }

                String metrics = server.get("/metrics", admin).bodyAsString();
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("linkboard_ws_senders_held_back_total") && !l.endsWith(" 0.0")),
                        "the session that did not read was held back");
                lazy.socket().resume();
                assertEquals(mine, lazy.awaitCount(m -> "ack".equals(m.getString("type")), mine).size());
                assertEquals(1000, lazy.all().stream().filter(m -> "op".equals(m.getString("type"))).count());
                assertTrue(!lazy.isClosed(), "held back, not cut off");
            }
        }
    }
}
