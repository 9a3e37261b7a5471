package org.linkboard.server.testing;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.OpCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several clients editing one board at once (on one node or spread over a cluster), and each
 * client's own rebuild of the board from what it was sent: convergence tests compare that rebuild
 * with the server's snapshot. The board must have lanes {@code lane-a} and {@code lane-b}.
 */
public final class ConcurrentEditors {

    private ConcurrentEditors() {
    }

    /**
     * Every client sends {@code opsEach} random ops (creates, sets, moves, deletes of each other's
     * cards) from its own thread, without waiting; returns once every op was acked or rejected.
     * Answers, per client, the ops it sent by cid.
     */
    public static List<Map<String, JsonObject>> edit(List<WsClient> clients, String board, int opsEach) throws InterruptedException {
        List<Map<String, JsonObject>> sent = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            int client = i;
            Map<String, JsonObject> mine = new ConcurrentHashMap<>();
            sent.add(mine);
            Thread t = new Thread(() -> {
                Random random = new Random(client);
                WsClient c = clients.get(client);
                for (int n = 0; n < opsEach; n++) {
                    String cid = "c" + client + "-" + n;
                    JsonObject op = randomOp(random, client, n, clients.size());
                    mine.put(cid, op);
                    c.socket().writeTextMessage(new JsonObject().put("type", "op").put("board", board).put("cid", cid).put("op", op).encode());
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        for (WsClient c : clients) {
            c.awaitCount(m -> "ack".equals(m.getString("type")) || "reject".equals(m.getString("type")), opsEach);
        }
        return sent;
    }

    /**
     * Rebuilds the board from what a client that joined at version 0 was sent (others' ops, its own
     * acked ops with what the server assigned), checking seqs arrive strictly increasing, without
     * gaps, up to {@code version}.
     */
    public static BoardState replicaOf(WsClient c, Map<String, JsonObject> mine, String board, long version) {
        TreeMap<Long, JsonObject> bySeq = new TreeMap<>();
        long last = 0;
        for (JsonObject m : c.all()) {
            if (!board.equals(m.getString("board"))) continue;
            String type = m.getString("type");
            if (!"op".equals(type) && !"ack".equals(type)) continue;
            long seq = m.getLong("seq");
            assertTrue(seq > last, "seq " + seq + " after " + last + ": strictly increasing per session");
            last = seq;
            if ("op".equals(type)) bySeq.put(seq, m.getJsonObject("op"));
            if ("ack".equals(type)) {
                JsonObject own = mine.get(m.getString("cid")).copy();
                JsonObject assigned = m.getJsonObject("assigned", new JsonObject());
                if (assigned.containsKey("pos")) own.put("pos", assigned.getString("pos"));
                bySeq.put(seq, own);
            }
        }
        BoardState state = new BoardState(board);
        long expected = 1;
        for (Map.Entry<Long, JsonObject> e : bySeq.entrySet()) {
            if (e.getKey() > version) break;
            assertEquals(expected++, (long) e.getKey(), "no gap in seqs seen by the client");
            state.apply(OpCodec.decode(e.getValue()), e.getKey());
        }
        assertEquals(version + 1, expected, "the client saw every seq up to the version");
        return state;
    }

    private static JsonObject randomOp(Random random, int client, int n, int clients) {
        String id = "x" + client + "-" + n;
        String target = "x" + random.nextInt(clients) + "-" + random.nextInt(Math.max(1, n));
        return switch (n < 5 ? 0 : random.nextInt(4)) {
            case 0 -> new JsonObject().put("kind", "create").put("id", id).put("type", "card")
                    .put("parent", random.nextBoolean() ? "lane-a" : "lane-b").put("fields", new JsonObject().put("title", "card " + id));
            case 1 -> new JsonObject().put("kind", "set").put("id", target).put("field", "status").put("value", random.nextBoolean() ? "doing" : "done");
            case 2 -> new JsonObject().put("kind", "move").put("id", target).put("parent", random.nextBoolean() ? "lane-a" : "lane-b");
            default -> new JsonObject().put("kind", "delete").put("id", target);
        };
    }
}
