package org.linkboard.server.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.RedisCluster;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two-node micro-benchmark behind the compare-and-append choice (docs/operations.md). Not a
 * performance assertion: it logs acked ops per second and lost races for (a) one node, one board;
 * (b) two nodes, clients of one board on both; (c) two nodes, one board each; and the latency of
 * an ack and of the delivery to another node. Each case only asserts that every op was acked.
 */
class ClusterThroughputTest {

    private static final int CLIENTS = 4;
    private static final int OPS_EACH = 1_500;

    private RedisCluster cluster;

    @BeforeEach
    void redis() {
        cluster = new RedisCluster(o -> o.wsRatePerSecond(1_000_000).wsBurst(1_000_000));
    }

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    private TestServer node() {
        return cluster.node();
    }

    @Test
    void logsThroughputOfOneBoardOnOneAndTwoNodesAndOfTwoBoardsOnTwoNodes() throws Exception {
        TestServer a = node();
        TestServer b = node();
        String token = a.adminToken();
        String warm = a.createBoard(token, "warm-up", "university");
        run("warm-up", token, List.of(a, a, b, b), List.of(warm, warm, warm, warm));

        String one = a.createBoard(token, "one node", "university");
        report("1 node, 1 board, 4 clients", run(one, token, List.of(a, a, a, a), List.of(one, one, one, one)), lost(a, one) + lost(b, one));

        String shared = a.createBoard(token, "shared", "university");
        report("2 nodes, 1 board, 2+2 clients", run(shared, token, List.of(a, a, b, b), List.of(shared, shared, shared, shared)),
                lost(a, shared) + lost(b, shared));

        String ba = a.createBoard(token, "board a", "university");
        String bb = a.createBoard(token, "board b", "university");
        report("2 nodes, 1 board each, 2+2 clients", run(ba, token, List.of(a, a, b, b), List.of(ba, ba, bb, bb)),
                lost(a, ba) + lost(b, bb));
    }

    /**
     * Ack latency on the writer's node and delivery latency to a client on the other node, one op
     * at a time (logged: median and 99th percentile).
     */
    @Test
    void logsAckAndCrossNodeDeliveryLatency() {
        TestServer a = node();
        TestServer b = node();
        String token = a.adminToken();
        String board = a.createBoard(token, "latency", "university");
        WsClient writer = cluster.connect(a, token);
        writer.join(board);
        WsClient reader = cluster.connect(b, token);
        reader.join(board);
        int samples = 300;
        long[] ack = new long[samples];
        long[] delivered = new long[samples];
        for (int i = -50; i < samples; i++) {
            String cid = "lat" + i;
            long start = System.nanoTime();
            JsonObject r = writer.op(board, cid, new JsonObject().put("kind", "create").put("id", "i" + (i + 50))
                    .put("type", "lane").put("fields", new JsonObject().put("title", "t")));
            long acked = System.nanoTime();
            assertEquals("ack", r.getString("type"));
            reader.next(m -> cid.equals(m.getString("cid")) && "op".equals(m.getString("type")));
            long seen = System.nanoTime();
            if (i >= 0) {
                ack[i] = acked - start;
                delivered[i] = seen - start;
            }
        }
        java.util.Arrays.sort(ack);
        java.util.Arrays.sort(delivered);
        System.out.printf("cluster latency: ack on the writer's node median %.2f ms, p99 %.2f ms; "
                        + "op at a client of the other node median %.2f ms, p99 %.2f ms%n",
                ack[samples / 2] / 1e6, ack[samples * 99 / 100] / 1e6, delivered[samples / 2] / 1e6, delivered[samples * 99 / 100] / 1e6);
    }

    private long lost(TestServer n, String board) {
        return Await.result(n.server().boards().actor(board)).lostRaces();
    }

    private static void report(String scenario, double opsPerSecond, long lostRaces) {
        System.out.printf("cluster throughput: %-36s %8.0f acked ops/s, %d appends lost the seq race%n",
                scenario, opsPerSecond, lostRaces);
    }

    /** Every client sends OPS_EACH ops at once to its board on its node; answers acked ops per second. */
    private double run(String label, String token, List<TestServer> on, List<String> boards) throws Exception {
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            WsClient c = cluster.connect(on.get(i), token);
            c.join(boards.get(i));
            clients.add(c);
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            WsClient c = clients.get(i);
            String board = boards.get(i);
            int client = i;
            Thread t = new Thread(() -> {
                for (int n = 0; n < OPS_EACH; n++) {
                    c.socket().writeTextMessage(new JsonObject().put("type", "op").put("board", board).put("cid", label + client + "-" + n)
                            .put("op", new JsonObject().put("kind", "create").put("id", "i" + client + "-" + n).put("type", "lane")
                                    .put("fields", new JsonObject().put("title", "t"))).encode());
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        for (WsClient c : clients) {
            List<JsonObject> acks = c.awaitCount(m -> "ack".equals(m.getString("type")) || "reject".equals(m.getString("type")), OPS_EACH);
            assertEquals(OPS_EACH, acks.stream().filter(m -> "ack".equals(m.getString("type"))).count(), "every op acked");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return CLIENTS * OPS_EACH / seconds;
    }
}
