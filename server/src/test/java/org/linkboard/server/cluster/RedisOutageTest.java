package org.linkboard.server.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.RedisCluster;
import org.linkboard.server.testing.RedisServerProcess;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away under two nodes and comes back (CONTRACT §7): writes answer UNAVAILABLE, /ready
 * answers 503, loaded boards can still be joined, and once Redis is back everything resumes
 * without restarting a node, with no acknowledged op lost. Runs its own redis-server (AOF,
 * appendfsync always) so it may kill it.
 */
class RedisOutageTest {

    private RedisServerProcess redis;
    private RedisCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    private static JsonObject lane(int i) {
        return new JsonObject().put("kind", "create").put("id", "l" + i).put("type", "lane")
                .put("fields", new JsonObject().put("title", "L" + i));
    }

    @Test
    void whileRedisIsDownWritesAreUnavailableAndEverythingResumesWhenItReturns() {
        redis = RedisServerProcess.start(true);
        cluster = RedisCluster.onOwnRedis(redis.uri());
        TestServer a = cluster.node();
        TestServer b = cluster.node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "outage", "university");
        WsClient onA = cluster.connect(a, admin);
        onA.join(board);
        WsClient onB = cluster.connect(b, admin);
        onB.join(board);
        Map<String, Long> acked = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            acked.put("c" + i, onA.op(board, "c" + i, lane(i)).getLong("seq"));
        }
        // A burst in flight as Redis dies: each op is acked (and then durable) or rejected.
        for (int i = 10; i < 40; i++) {
            onA.socket().writeTextMessage(new JsonObject().put("type", "op").put("board", board).put("cid", "c" + i)
                    .put("op", lane(i)).encode());
        }
        redis.kill();
        for (int i = 10; i < 40; i++) {
            String cid = "c" + i;
            JsonObject outcome = onA.next(m -> cid.equals(m.getString("cid"))
                    && ("ack".equals(m.getString("type")) || "reject".equals(m.getString("type"))));
            if ("ack".equals(outcome.getString("type"))) {
                acked.put(cid, outcome.getLong("seq"));
            } else {
                assertEquals("UNAVAILABLE", outcome.getJsonObject("error").getString("code"));
            }
        }

        JsonObject down = onA.op(board, "down-ws", lane(100));
        assertEquals("reject", down.getString("type"));
        assertEquals("UNAVAILABLE", down.getJsonObject("error").getString("code"));
        var rest = a.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", "down-rest").put("op", lane(101)));
        assertEquals(503, rest.statusCode());
        assertEquals("UNAVAILABLE", rest.bodyAsJsonObject().getJsonObject("error").getString("code"));
        assertEquals(503, a.get("/ready", null).statusCode());
        assertEquals(503, b.get("/ready", null).statusCode());
        assertEquals(200, a.get("/health", null).statusCode());
        // A board loaded on the node can still be joined and read from memory.
        WsClient late = cluster.connect(b, admin);
        JsonObject joined = late.join(board);
        assertEquals("joined", joined.getString("type"));
        var snapshotWhileDown = b.get("/api/boards/" + board + "/snapshot", admin);
        assertEquals(200, snapshotWhileDown.statusCode(), snapshotWhileDown.bodyAsString());
        assertEquals(joined.getLong("version"), snapshotWhileDown.bodyAsJsonObject().getLong("version"));

        redis.startProcess();
        Await.until("node a ready again", () -> a.get("/ready", null).statusCode() == 200, 30);
        Await.until("node b ready again", () -> b.get("/ready", null).statusCode() == 200, 30);

        JsonObject up = onA.op(board, "up", lane(200));
        assertEquals("ack", up.getString("type"), up.encode());
        acked.put("up", up.getLong("seq"));
        // Node b hears of it again (its subscriber reconnected).
        onB.next(m -> "op".equals(m.getString("type")) && "up".equals(m.getString("cid")));
        JsonObject fromB = onB.op(board, "up-b", lane(201));
        assertEquals("ack", fromB.getString("type"), fromB.encode());
        acked.put("up-b", fromB.getLong("seq"));
        onA.next(m -> "op".equals(m.getString("type")) && "up-b".equals(m.getString("cid")));

        JsonArray log = a.get("/api/boards/" + board + "/ops?since=0&limit=1000", admin).bodyAsJsonObject().getJsonArray("ops");
        Map<String, Long> logged = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            JsonObject e = log.getJsonObject(i);
            seqs.add(e.getLong("seq"));
            if (e.getString("cid") != null) logged.put(e.getString("cid"), e.getLong("seq"));
        }
        assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, "the log has no gap");
        acked.forEach((cid, seq) -> assertEquals(seq, logged.get(cid), "acked " + cid + " is in the log at its seq"));
        assertTrue(!logged.containsKey("down-ws") && !logged.containsKey("down-rest"), "rejected ops were not applied");
        JsonObject snapA = a.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
        JsonObject snapB = b.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
        assertEquals(snapA.getLong("version"), snapB.getLong("version"));
        assertEquals(snapA.getJsonObject("items"), snapB.getJsonObject("items"));
    }
}
