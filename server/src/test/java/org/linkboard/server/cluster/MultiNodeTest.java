package org.linkboard.server.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.RedisCluster;
import org.linkboard.server.testing.ConcurrentEditors;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several Linkboard nodes in this JVM share one Redis (same URI and key prefix) and serve the
 * same boards (CONTRACT §7): clients spread over the nodes see one seq order and converge.
 */
class MultiNodeTest {

    private RedisCluster cluster;

    @BeforeEach
    void redis() {
        cluster = new RedisCluster();
    }

    @AfterEach
    void stopNodes() {
        if (cluster != null) cluster.close();
    }

    private TestServer node() {
        return cluster.node();
    }

    private WsClient connect(TestServer node, String token) {
        return cluster.connect(node, token);
    }

    @Test
    void clientsOnThreeNodesEditingOneBoardSeeOneGapFreeOrderAndConverge() throws Exception {
        List<TestServer> three = List.of(node(), node(), node());
        String admin = three.get(0).adminToken();
        String board = three.get(0).createBoard(admin, "together", "university");
        int clientsPerNode = 2;
        int opsEach = 60;
        List<WsClient> clients = new ArrayList<>();
        for (TestServer n : three) {
            for (int i = 0; i < clientsPerNode; i++) {
                WsClient c = connect(n, admin);
                assertEquals("joined", c.join(board).getString("type"));
                clients.add(c);
            }
        }
        WsClient setup = connect(three.get(1), admin);
        setup.join(board);
        setup.op(board, "lane-a", new JsonObject().put("kind", "create").put("id", "lane-a").put("type", "lane").put("fields", new JsonObject().put("title", "A")));
        setup.op(board, "lane-b", new JsonObject().put("kind", "create").put("id", "lane-b").put("type", "lane").put("fields", new JsonObject().put("title", "B")));

        List<Map<String, JsonObject>> sent = ConcurrentEditors.edit(clients, board, opsEach);
        long acked = clients.stream().mapToLong(c -> c.all().stream().filter(m -> "ack".equals(m.getString("type"))).count()).sum();
        // Every seq belongs to exactly one ack (plus the two lanes). A node learns of ops appended
        // through the others a moment after their acks, so each is given that moment to catch up.
        long version = acked + 2;
        for (TestServer n : three) {
            Await.until("node on port " + n.port() + " at version " + version + " (every seq one ack)",
                    () -> n.get("/api/boards/" + board, admin).bodyAsJsonObject().getLong("version") == version, 10);
        }
        for (WsClient c : clients) {
            // Every op up to the version, own acks and others' ops, reaches every client on every node.
            c.awaitCount(m -> board.equals(m.getString("board")) && ("op".equals(m.getString("type")) || "ack".equals(m.getString("type"))), (int) version);
        }

        Map<String, Object> expected = three.get(0).get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject()
                .getJsonObject("items").getMap();
        for (TestServer n : three) {
            JsonObject snapshot = n.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
            assertEquals(version, snapshot.getLong("version"), "node on port " + n.port() + " is at the version");
            assertEquals(expected, snapshot.getJsonObject("items").getMap(), "node on port " + n.port() + " has the same items");
        }
        for (int i = 0; i < clients.size(); i++) {
            BoardState replica = ConcurrentEditors.replicaOf(clients.get(i), sent.get(i), board, version);
            assertEquals(expected, new JsonObject(replica.itemsToMap()).getMap(), "client " + i + " converged");
        }
    }

    @Test
    void anOpResentThroughAnotherNodeWithItsCidIsAnsweredWithTheOriginalSeq() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "dedup", "university");
        WsClient onA = connect(a, admin);
        onA.join(board);
        JsonObject create = new JsonObject().put("kind", "create").put("id", "lane").put("type", "lane")
                .put("fields", new JsonObject().put("title", "L"));
        long seq = onA.op(board, "cid-1", create).getLong("seq");
        onA.op(board, "cid-2", new JsonObject().put("kind", "set").put("id", "lane").put("field", "title").put("value", "M"));

        WsClient onB = connect(b, admin);
        onB.join(board);
        JsonObject again = onB.op(board, "cid-1", create);

        assertEquals("ack", again.getString("type"));
        assertEquals(seq, again.getLong("seq"));
        assertEquals(2, b.get("/api/boards/" + board, admin).bodyAsJsonObject().getLong("version"));
    }

    @Test
    void aCidAppliedOnOneNodeDedupsOnAnotherThatHasNotHeardOfItYet() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "race", "university");
        WsClient onB = connect(b, admin);
        onB.join(board);
        WsClient onA = connect(a, admin);
        onA.join(board);
        // Sent to both nodes at once: whichever appends second must learn it is a duplicate.
        JsonObject create = new JsonObject().put("kind", "create").put("id", "x").put("type", "lane")
                .put("fields", new JsonObject().put("title", "X"));
        for (int i = 0; i < 20; i++) {
            String cid = "same-" + i;
            JsonObject op = i == 0 ? create : new JsonObject().put("kind", "set").put("id", "x").put("field", "title").put("value", "v" + i);
            String frame = new JsonObject().put("type", "op").put("board", board).put("cid", cid).put("op", op).encode();
            onA.socket().writeTextMessage(frame);
            onB.socket().writeTextMessage(frame);
        }
        for (int i = 0; i < 20; i++) {
            String cid = "same-" + i;
            JsonObject ackA = onA.next(m -> cid.equals(m.getString("cid")) && ("ack".equals(m.getString("type")) || "reject".equals(m.getString("type"))));
            JsonObject ackB = onB.next(m -> cid.equals(m.getString("cid")) && ("ack".equals(m.getString("type")) || "reject".equals(m.getString("type"))));
            assertEquals("ack", ackA.getString("type"), ackA.encode());
            assertEquals("ack", ackB.getString("type"), ackB.encode());
            assertEquals(ackA.getLong("seq"), ackB.getLong("seq"), "both nodes answer " + cid + " with one seq");
        }
        assertEquals(20, a.get("/api/boards/" + board, admin).bodyAsJsonObject().getLong("version"));
    }

    @Test
    void presenceCrossesNodes() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "presence", "university");
        WsClient onA = connect(a, admin);
        onA.join(board);
        WsClient onB = connect(b, admin);
        onB.join(board);

        onB.send(new JsonObject().put("type", "presence").put("board", board).put("state", new JsonObject().put("cursor", 7)));

        JsonObject seen = onA.next(m -> "presence".equals(m.getString("type"))
                && m.getJsonObject("state", new JsonObject()).getInteger("cursor", -1) == 7);
        assertEquals(board, seen.getString("board"));
        String sessionOfB = seen.getString("session");
        onB.send(new JsonObject().put("type", "leave").put("board", board));
        onA.next(m -> "presence".equals(m.getString("type")) && sessionOfB.equals(m.getString("session"))
                && Boolean.TRUE.equals(m.getBoolean("left")));
    }

    @Test
    void aNodeThatLoadsABoardLearnsWhoIsAlreadyThereOnOtherNodes() {
        TestServer a = node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "who", "university");
        WsClient onA = connect(a, admin);
        onA.join(board);
        onA.send(new JsonObject().put("type", "presence").put("board", board).put("state", new JsonObject().put("cursor", 3)));
        TestServer b = node();

        WsClient onB = connect(b, admin);
        JsonObject joined = onB.join(board);

        // Node b had not loaded the board before: node a's session shows up once a answers, in the
        // joined frame's peers if the answer came first, else as a presence message right after.
        boolean inPeers = joined.getJsonArray("peers").stream().map(JsonObject.class::cast)
                .anyMatch(p -> p.getJsonObject("state", new JsonObject()).getInteger("cursor", -1) == 3);
        if (!inPeers) {
            JsonObject peer = onB.next(m -> "presence".equals(m.getString("type"))
                    && m.getJsonObject("state", new JsonObject()).getInteger("cursor", -1) == 3);
            assertEquals(board, peer.getString("board"));
        }
    }

    @Test
    void aFrameBroadcastForABoardReachesItsSessionsOnOtherNodesEvenWhereTheBoardIsNotLoaded() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        String board = b.createBoard(admin, "goals", "university");
        WsClient onB = connect(b, admin);
        onB.join(board);
        assertEquals(null, a.server().boards().loaded(board), "the board is not loaded on node a");

        a.server().boards().broadcast(board, new JsonObject().put("type", "rollup").put("board", board).put("item", "g")
                .put("rollup", new JsonObject().put("progress", 42)));

        JsonObject rollup = onB.next("rollup");
        assertEquals(42, rollup.getJsonObject("rollup").getInteger("progress"));
    }

    @Test
    void rollupsFollowEditsMadeOnAnotherNodeAndEveryNodeShowsThemInSnapshots() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        String uni = b.createBoard(admin, "university plan", "university");
        String college = a.createBoard(admin, "college plan", "university");
        WsClient uniOnB = connect(b, admin);
        uniOnB.join(uni);
        assertEquals("ack", uniOnB.op(uni, "g", new JsonObject().put("kind", "create").put("id", "g").put("type", "goal")
                .put("fields", new JsonObject().put("title", "Send 100 abroad").put("metric", "students").put("target", 100)))
                .getString("type"));
        WsClient collegeOnA = connect(a, admin);
        collegeOnA.join(college);
        assertEquals("ack", collegeOnA.op(college, "c1", new JsonObject().put("kind", "create").put("id", "c1").put("type", "card")
                .put("fields", new JsonObject().put("title", "Germany").put("students", 10))).getString("type"));
        assertEquals("ack", collegeOnA.op(college, "l1", new JsonObject().put("kind", "link").put("id", "c1")
                .put("to", new JsonObject().put("board", uni).put("item", "g"))).getString("type"));
        collegeOnA.op(college, "s1", new JsonObject().put("kind", "set").put("id", "c1").put("field", "students").put("value", 25));

        // The session on node b hears of it, though the edit was made on node a.
        uniOnB.next(m -> "rollup".equals(m.getString("type")) && "g".equals(m.getString("item"))
                && m.getJsonObject("rollup").getDouble("sum", -1.0) == 25.0);
        for (TestServer n : List.of(a, b)) {
            Await.until("node on port " + n.port() + " shows the rollup in its snapshot", () -> {
                JsonObject g = n.get("/api/boards/" + uni + "/snapshot", admin).bodyAsJsonObject().getJsonObject("items").getJsonObject("g");
                JsonObject rollup = g.getJsonObject("rollup");
                return rollup != null && rollup.getDouble("sum", -1.0) == 25.0 && rollup.getInteger("children", -1) == 1;
            }, 20);
        }
    }

    @Test
    void aUserCreatedOnOneNodeWorksOnAnotherAndDeletionEndsItsSessionsEverywhere() {
        TestServer a = node();
        TestServer b = node();
        String admin = a.adminToken();
        a.createUser(admin, "carol", "university", "editor");
        String carol = b.login("carol", "carol-pw");
        // The token works on a third node that never saw carol log in.
        TestServer c = node();
        assertEquals(200, c.get("/api/me", carol).statusCode());
        WsClient carolOnC = connect(c, carol);
        carolOnC.next("welcome");

        String id = a.get("/api/users", admin).bodyAsJsonArray().stream().map(o -> (JsonObject) o)
                .filter(u -> "carol".equals(u.getString("username"))).findFirst().orElseThrow().getString("id");
        assertEquals(204, a.request(io.vertx.core.http.HttpMethod.DELETE, "/api/users/" + id, admin, null).statusCode());

        assertEquals(4401, carolOnC.awaitClose());
        assertEquals(401, c.get("/api/me", carol).statusCode());
    }

    @Test
    void aRestartedNodeRebuildsEveryBoardFromRedisAlone() {
        TestServer a = node();
        String admin = a.adminToken();
        String board = a.createBoard(admin, "persist", "university");
        WsClient onA = connect(a, admin);
        onA.join(board);
        for (int i = 0; i < 30; i++) {
            onA.op(board, "c" + i, new JsonObject().put("kind", "create").put("id", "l" + i).put("type", "lane")
                    .put("fields", new JsonObject().put("title", "L" + i)));
        }
        JsonObject before = a.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
        onA.close();
        cluster.stop(a);

        TestServer again = node();
        JsonObject after = again.get("/api/boards/" + board + "/snapshot", again.adminToken()).bodyAsJsonObject();
        assertEquals(before.getLong("version"), after.getLong("version"));
        assertEquals(before.getJsonObject("items"), after.getJsonObject("items"));
        assertTrue(after.getLong("version") == 30);
    }


}
