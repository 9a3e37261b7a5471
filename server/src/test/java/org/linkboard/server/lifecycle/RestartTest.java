package org.linkboard.server.lifecycle;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Restart recovers boards from snapshots plus the log tail, and remembers cids; a board's first
 * load takes over the state read at start-up rather than reading its snapshot again.
 */
class RestartTest {

    static JsonObject card(String id) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", id));
    }

    private JsonObject snapshotBeforeRestart;

    /** A server on {@code data} with a board of 36 ops (snapshots every 10), stopped; the board's id. */
    private String boardOf36Ops(Path data) {
        TestServer first = TestServer.start(data, o -> o.snapshotEvery(10));
        String token = first.adminToken();
        String board = first.createBoard(token, "restart", "university");
        try (WsClient c = first.connect(token)) {
            c.join(board);
            for (int i = 0; i < 35; i++) c.op(board, "c" + i, card("k" + i));
            c.op(board, "move", new JsonObject().put("kind", "set").put("id", "k3").put("field", "status").put("value", "done"));
        }
        snapshotBeforeRestart = first.get("/api/boards/" + board + "/snapshot", token).bodyAsJsonObject();
        first.stopKeepingData();
        return board;
    }

    @Test
    void aBoardsFirstLoadAfterARestartTakesOverTheStateReadAtStart() throws Exception {
        Path data = Files.createTempDirectory("linkboard-restart");
        String board = boardOf36Ops(data);
        try (TestServer second = TestServer.start(data, o -> o.snapshotEvery(10))) {
            String t = second.adminToken();
            int kept = second.server().boards().startupStatesKept();
            JsonObject after = second.get("/api/boards/" + board + "/snapshot", t).bodyAsJsonObject();

            assertEquals(kept - 1, second.server().boards().startupStatesKept(),
                    "the first load took over the state the start-up read, instead of reading the snapshot again");
            assertEquals(snapshotBeforeRestart.getJsonObject("items"), after.getJsonObject("items"));
        }
    }

    @Test
    void restartRecoversSnapshotPlusTailAndRemembersCids() throws Exception {
        Path data = Files.createTempDirectory("linkboard-restart");
        String board = boardOf36Ops(data);
        JsonObject before = snapshotBeforeRestart;

        try (TestServer second = TestServer.start(data, o -> o.snapshotEvery(10))) {
            String t = second.adminToken();
            JsonObject after = second.get("/api/boards/" + board + "/snapshot", t).bodyAsJsonObject();
            assertEquals(36L, after.getLong("version"));
            assertEquals(before.getJsonObject("items"), after.getJsonObject("items"));
            try (WsClient c = second.connect(t)) {
                c.join(board);
                assertEquals(5L, c.op(board, "c4", card("k4")).getLong("seq"), "a cid from before the restart is remembered");
                assertEquals(37L, c.op(board, "new", card("fresh")).getLong("seq"));
            }
        }
    }
}
