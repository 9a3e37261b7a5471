package org.linkboard.server.realtime;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.testing.ConcurrentEditors;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
            List<Map<String, JsonObject>> sent = ConcurrentEditors.edit(sockets, board, opsEach);
            JsonObject snapshot = server.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
            long version = snapshot.getLong("version");
            for (WsClient c : sockets) {
                c.awaitCount(m -> board.equals(m.getString("board")) && ("op".equals(m.getString("type")) || "ack".equals(m.getString("type"))), (int) version);
            }
            for (int i = 0; i < clients; i++) {
                BoardState replica = ConcurrentEditors.replicaOf(sockets.get(i), sent.get(i), board, version);
                assertEquals(snapshot.getJsonObject("items").getMap(), new JsonObject(replica.itemsToMap()).getMap(),
                        "client " + i + " converged to the server's snapshot");
            }
            sockets.forEach(WsClient::close);
        }
    }


}
