package org.linkboard.server.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.server.testing.TestRedis;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Killing one node loses no acknowledged op; its clients reconnect to another node and rejoin
 * with since" (CONTRACT §4, §7), against the real jar: node 1 is {@code java -jar linkboard.jar
 * --redis …} as a child process, node 2 runs in this JVM; a client streams ops to node 1, which
 * is killed with SIGKILL mid-stream; the client rejoins on node 2 with {@code since} and resends
 * what was not acked, by cid.
 */
class NodeKillIT {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final int OPS = 2_000;
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    private String uri;
    private String prefix;
    private Process child;
    private TestServer node2;
    private final List<WsClient> sockets = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        if (child != null) child.destroyForcibly();
        sockets.forEach(WsClient::close);
        if (node2 != null) node2.close();
        if (prefix != null) TestRedis.deletePrefix(uri, prefix);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killingANodeMidStreamLosesNoAckedOpAndItsClientRecoversOnAnotherNode() throws Exception {
        uri = TestRedis.uriOrSkip();
        String jar = System.getProperty("linkboard.jar");
        Assumptions.assumeTrue(jar != null && Files.exists(Path.of(jar)),
                "needs the built jar (system property linkboard.jar, set by failsafe after mvn package)");
        prefix = TestRedis.freshPrefix();
        node2 = TestServer.start(o -> o.redis(uri).redisPrefix(prefix));
        int port1 = startChild(jar);

        String token = node2.adminToken();
        String board = node2.createBoard(token, "stream", "university");
        WsClient watcher = connect(node2.connect(token));
        watcher.join(board);
        WsClient writer = connect(WsClient.connect(node2.clientVertx(), port1, token));
        assertEquals("joined", writer.join(board).getString("type"));

        for (int i = 0; i < OPS; i++) {
            writer.socket().writeTextMessage(opFrame(board, i));
        }
        writer.awaitCount(m -> "ack".equals(m.getString("type")), ACKS_BEFORE_KILL);
        child.toHandle().destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "node 1 did not die");
        writer.awaitClose();

        Map<String, Long> acked = new HashMap<>();
        long lastSeen = 0;
        for (JsonObject m : writer.all()) {
            if ("ack".equals(m.getString("type"))) acked.put(m.getString("cid"), m.getLong("seq"));
            if (("ack".equals(m.getString("type")) || "op".equals(m.getString("type"))) && board.equals(m.getString("board"))) {
                lastSeen = Math.max(lastSeen, m.getLong("seq"));
            }
        }
        System.out.printf("node kill: %d of %d ops acked before the kill (last seq seen %d)%n", acked.size(), OPS, lastSeen);

        long seenByNode2 = lastSeen;
        watcher.next(m -> "op".equals(m.getString("type")) && m.getLong("seq") >= seenByNode2);
        // The client comes back on node 2: since = the last seq it saw, then resends the rest by cid.
        WsClient again = connect(node2.connect(token));
        again.send(new JsonObject().put("type", "join").put("board", board).put("since", lastSeen));
        JsonObject rejoined = again.next("joined");
        assertTrue(rejoined.containsKey("ops"), "recent ops come as ops, not a snapshot: " + rejoined.encode().substring(0, 80));
        long version = rejoined.getLong("version");
        assertEquals(version - lastSeen, rejoined.getJsonArray("ops").size(), "the ops after since, no more, no less");
        for (int i = 0; i < OPS; i++) {
            String cid = "c" + i;
            if (acked.containsKey(cid)) continue;
            again.socket().writeTextMessage(opFrame(board, i));
        }
        for (int i = 0; i < OPS; i++) {
            String cid = "c" + i;
            if (acked.containsKey(cid)) continue;
            JsonObject ack = again.next(m -> cid.equals(m.getString("cid")) && ("ack".equals(m.getString("type")) || "reject".equals(m.getString("type"))));
            assertEquals("ack", ack.getString("type"), ack.encode());
        }

        JsonArray log = node2.get("/api/boards/" + board + "/ops?since=0&limit=10000", token).bodyAsJsonObject().getJsonArray("ops");
        Map<String, Long> logged = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            JsonObject e = log.getJsonObject(i);
            seqs.add(e.getLong("seq"));
            assertTrue(logged.put(e.getString("cid"), e.getLong("seq")) == null, "cid " + e.getString("cid") + " applied once");
        }
        assertEquals(LongStream.rangeClosed(1, OPS).boxed().toList(), seqs, "every op exactly once, no gap");
        acked.forEach((cid, seq) -> assertEquals(seq, logged.get(cid), "acked " + cid + " kept its seq"));
        // The observer on node 2 saw the whole order, gap-free, as it happened.
        List<JsonObject> seen = watcher.awaitCount(m -> "op".equals(m.getString("type")) && board.equals(m.getString("board")), OPS);
        for (int i = 0; i < OPS; i++) assertEquals(i + 1, seen.get(i).getLong("seq"));
        // The dead node's session leaves the board's presence once node 1 is silent long enough.
        JsonObject writerPresence = watcher.all().stream().filter(m -> "presence".equals(m.getString("type"))
                && !Boolean.TRUE.equals(m.getBoolean("left"))).findFirst().orElseThrow();
        String writerSession = writerPresence.getString("session");
        watcher.next(m -> "presence".equals(m.getString("type")) && writerSession.equals(m.getString("session"))
                && Boolean.TRUE.equals(m.getBoolean("left")), 30_000);
    }

    private WsClient connect(WsClient c) {
        sockets.add(c);
        return c;
    }

    private static String opFrame(String board, int i) {
        return new JsonObject().put("type", "op").put("board", board).put("cid", "c" + i)
                .put("op", new JsonObject().put("kind", "create").put("id", "l" + i).put("type", "lane")
                        .put("fields", new JsonObject().put("title", "L" + i))).encode();
    }

    /** Starts node 1 from the jar; answers its port once it logs that it listens. */
    private int startChild(String jar) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-jar", jar, "--redis", uri, "--redis-prefix", prefix, "--port", "0",
                "--host", "127.0.0.1", "--data-dir", dir.resolve("data").toString(),
                "--admin-password", TestServer.ADMIN_PASSWORD, "--jwt-secret", TestServer.JWT_SECRET)
                .redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (output) {
                        if (output.length() < 20_000) output.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (Exception ignored) {
                // The child was killed.
            }
            port.completeExceptionally(new AssertionError("node 1 exited before listening"));
        }, "node1-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            synchronized (output) {
                throw new AssertionError("node 1 did not start:\n" + output, e);
            }
        }
    }
}
