package org.linkboard.server.realtime;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several clients edit one board at once; each rebuilds the board from what it was sent (its own
 * ops by their acks, everyone else's by broadcast) and must end where the server's snapshot is.
 */
class ConcurrentEditingTest {

    @Test
    void concurrentClientsConvergeToTheRestSnapshot() throws Exception {
        try (TestServer server = TestServer.start()) {
            String admin = server.adminToken();
            String board = server.createBoard(admin, "together", "university");
            int clients = 4;
            int opsEach = 60;
            List<WsClient> sockets = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                WsClient c = server.connect(admin);
                c.join(board);
                sockets.add(c);
            }
            try (WsClient setup = server.connect(admin)) {
                setup.join(board);
                setup.op(board, "lane-a", new JsonObject().put("kind", "create").put("id", "lane-a").put("type", "lane").put("fields", new JsonObject().put("title", "A")));
                setup.op(board, "lane-b", new JsonObject().put("kind", "create").put("id", "lane-b").put("type", "lane").put("fields", new JsonObject().put("title", "B")));
            }
            List<Map<String, JsonObject>> sent = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                Map<String, JsonObject> mine = new java.util.concurrent.ConcurrentHashMap<>();
                sent.add(mine);
                Thread t = new Thread(() -> {
                    Random random = new Random(client);
                    WsClient c = sockets.get(client);
                    for (int n = 0; n < opsEach; n++) {
                        String cid = "c" + client + "-" + n;
                        JsonObject op = randomOp(random, client, n);
                        mine.put(cid, op);
                        c.socket().writeTextMessage(new JsonObject().put("type", "op").put("board", board).put("cid", cid).put("op", op).encode());
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join();
            for (WsClient c : sockets) {
                c.awaitCount(m -> "ack".equals(m.getString("type")) || "reject".equals(m.getString("type")), opsEach);
            }
            JsonObject snapshot = server.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
            long version = snapshot.getLong("version");
            for (WsClient c : sockets) {
                c.awaitCount(m -> board.equals(m.getString("board")) && ("op".equals(m.getString("type")) || "ack".equals(m.getString("type"))), (int) version);
            }
            for (int i = 0; i < clients; i++) {
                BoardState replica = replicaOf(sockets.get(i), sent.get(i), board, version);
                assertEquals(snapshot.getJsonObject("items").getMap(), new JsonObject(replica.itemsToMap()).getMap(),
                        "client " + i + " converged to the server's snapshot");
            }
            sockets.forEach(WsClient::close);
        }
    }

    /** Rebuilds the board from the join snapshot (empty), the broadcast ops and the own acked ops, in seq order. */
    private static BoardState replicaOf(WsClient c, Map<String, JsonObject> mine, String board, long version) {
        TreeMap<Long, JsonObject> bySeq = new TreeMap<>();
        for (JsonObject m : c.all()) {
            if (!board.equals(m.getString("board"))) continue;
            if ("op".equals(m.getString("type"))) bySeq.put(m.getLong("seq"), m.getJsonObject("op"));
            if ("ack".equals(m.getString("type"))) {
                JsonObject own = mine.get(m.getString("cid")).copy();
                JsonObject assigned = m.getJsonObject("assigned", new JsonObject());
                if (assigned.containsKey("pos")) own.put("pos", assigned.getString("pos"));
                bySeq.put(m.getLong("seq"), own);
            }
        }
        BoardState state = new BoardState(board);
        long expected = 1;
        for (Map.Entry<Long, JsonObject> e : bySeq.entrySet()) {
            if (e.getKey() > version) break;
            // Ops before this client joined come from the setup client; it joined at version 0.
            assertEquals(expected++, (long) e.getKey(), "no gap in seqs seen by the client");
            state.apply(OpCodec.decode(e.getValue()), e.getKey());
        }
        return state;
    }

    private static JsonObject randomOp(Random random, int client, int n) {
        String id = "x" + client + "-" + n;
        String target = "x" + random.nextInt(4) + "-" + random.nextInt(Math.max(1, n));
        return switch (n < 5 ? 0 : random.nextInt(4)) {
            case 0 -> new JsonObject().put("kind", "create").put("id", id).put("type", "card")
                    .put("parent", random.nextBoolean() ? "lane-a" : "lane-b").put("fields", new JsonObject().put("title", "card " + id));
            case 1 -> new JsonObject().put("kind", "set").put("id", target).put("field", "status").put("value", random.nextBoolean() ? "doing" : "done");
            case 2 -> new JsonObject().put("kind", "move").put("id", target).put("parent", random.nextBoolean() ? "lane-a" : "lane-b");
            default -> new JsonObject().put("kind", "delete").put("id", target);
        };
    }
}
