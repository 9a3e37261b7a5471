package org.linkboard.server.lifecycle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.JarProcess;
import org.linkboard.server.testing.RestClient;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONTRACT §4 "an ack means durable": kill -9 mid-stream, restart, every acknowledged op is there. */
class CrashRecoveryIT {

    @Test
    void everyAcknowledgedOpSurvivesKill9() throws Exception {
        Path data = Files.createTempDirectory("linkboard-crash");
        String[] flags = {"--port", "0", "--data-dir", data.toString(), "--admin-password", "pw", "--plugins-dir", data.resolve("no-plugins").toString()};
        Map<String, Long> acked = new ConcurrentHashMap<>();
        String board;
        try (JarProcess first = JarProcess.start(flags); RestClient rest = new RestClient(first.port())) {
            String token = rest.login("admin", "pw");
            board = rest.createBoard(token, "crash", "university");
            List<Thread> writers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<WsClient> sockets = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                WsClient c = rest.connect(token);
                c.join(board);
                sockets.add(c);
                int writer = w;
                c.socket().textMessageHandler(text -> {
                    JsonObject m = new JsonObject(text);
                    if ("ack".equals(m.getString("type"))) acked.put(m.getString("cid"), m.getLong("seq"));
                });
                Thread t = new Thread(() -> {
                    for (int n = 0; !stop.get() && n < 100_000; n++) {
                        String id = "w" + writer + "-" + n;
                        JsonObject op = new JsonObject().put("kind", "create").put("id", id).put("type", "card")
                                .put("fields", new JsonObject().put("title", id));
                        try {
                            c.socket().writeTextMessage(new JsonObject().put("type", "op").put("board", board).put("cid", id).put("op", op).encode());
                            if (n % 50 == 0) Thread.sleep(1);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                writers.add(t);
                t.start();
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (acked.size() < 2_000 && System.currentTimeMillis() < deadline) Thread.sleep(10);
            first.kill9();
            stop.set(true);
            for (Thread t : writers) t.join(10_000);
        }
        assertTrue(acked.size() > 100, "some ops were acknowledged before the kill (" + acked.size() + ")");
        try (JarProcess second = JarProcess.start(flags); RestClient rest = new RestClient(second.port())) {
            String token = rest.login("admin", "pw");
            JsonObject snapshot = rest.request(io.vertx.core.http.HttpMethod.GET, "/api/boards/" + board + "/snapshot", token, null).bodyAsJsonObject();
            JsonObject items = snapshot.getJsonObject("items");
            long version = snapshot.getLong("version");
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                assertTrue(items.containsKey(e.getKey()), "acknowledged op " + e.getKey() + " (seq " + e.getValue() + ") survived");
                assertTrue(e.getValue() <= version);
            }
            // The log has no gaps: seqs 1..version all there, each cid once.
            long seen = 0;
            long since = 0;
            while (since < version) {
                JsonArray ops = rest.request(io.vertx.core.http.HttpMethod.GET, "/api/boards/" + board + "/ops?since=" + since + "&limit=10000", token, null)
                        .bodyAsJsonObject().getJsonArray("ops");
                for (int i = 0; i < ops.size(); i++) {
                    assertEquals(since + 1, ops.getJsonObject(i).getLong("seq"));
                    since++;
                    seen++;
                }
                if (ops.isEmpty()) break;
            }
            assertEquals(version, seen);
        } finally {
            TestServer.deleteRecursively(data);
        }
    }
}
