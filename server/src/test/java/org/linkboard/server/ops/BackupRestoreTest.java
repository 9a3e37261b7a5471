package org.linkboard.server.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Online backup (HTTP and CLI) while a client writes, and restore into a fresh data dir. */
class BackupRestoreTest {

    static JsonObject card(String id) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", "card " + id));
    }

    static int cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OfflineCommands.run(List.of(args), Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        if (code != 0) System.err.println(err);
        return code;
    }

    @Test
    void backupWhileAClientWritesRestoresToAConsistentPrefix(@TempDir Path tmp) {
        Path restored = tmp.resolve("restored");
        List<JsonObject> original;
        long backupVersion;
        try (TestServer server = TestServer.start()) {
            String admin = server.adminToken();
            String board = server.createBoard(admin, "busy", "university");
            int n = 300;
            try (WsClient ws = server.connect(admin)) {
                ws.next("welcome");
                ws.join(board);
                for (int i = 0; i < n; i++) {
                    ws.send(new JsonObject().put("type", "op").put("board", board).put("cid", "c" + i).put("op", card("k" + i)));
                    if (i == n / 3) {
                        HttpResponse<Buffer> r = server.post("/api/admin/backup", admin, new JsonObject().put("name", "during"));
                        assertEquals(201, r.statusCode(), r.bodyAsString());
                    }
                }
                ws.awaitCount(m -> "ack".equals(m.getString("type")), n);
            }
            Path backup = server.dataDir().resolve("backups").resolve("during.db");
            assertTrue(Files.isRegularFile(backup));
            original = server.get("/api/boards/" + board + "/ops?limit=10000", admin).bodyAsJsonObject().getJsonArray("ops")
                    .stream().map(o -> (JsonObject) o).toList();
            assertEquals(n, original.size());
            assertEquals(0, cli("restore", "--from", backup.toString(), "--data-dir", restored.toString()));
            try (TestServer again = TestServer.start(restored, o -> { })) {
                String token = again.adminToken();
                JsonObject b = again.get("/api/boards/" + board, token).bodyAsJsonObject();
                backupVersion = b.getLong("version");
                JsonArray ops = again.get("/api/boards/" + board + "/ops?limit=10000", token).bodyAsJsonObject().getJsonArray("ops");
                assertEquals(backupVersion, ops.size());
                for (int i = 0; i < ops.size(); i++) {
                    assertEquals(original.get(i).getJsonObject("op"), ops.getJsonObject(i).getJsonObject("op"), "op " + (i + 1));
                }
                assertEquals(backupVersion, again.get("/api/boards/" + board + "/snapshot", token).bodyAsJsonObject()
                        .getJsonObject("items").size());
            }
        }
        assertTrue(backupVersion <= 300);
    }

    @Test
    void cliBackupOfARunningServerRestoresSameBoardsAndVersions(@TempDir Path tmp) {
        Path file = tmp.resolve("copy.db");
        Path restored = tmp.resolve("fresh");
        JsonArray boards;
        JsonObject snapshot;
        String board;
        try (TestServer server = TestServer.start()) {
            String admin = server.adminToken();
            board = server.createBoard(admin, "one", "university");
            server.createBoard(admin, "two", "university");
            for (int i = 0; i < 5; i++) {
                server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", "r" + i).put("op", card("k" + i)));
            }
            assertEquals(0, cli("backup", "--data-dir", server.dataDir().toString(), "--to", file.toString()));
            boards = server.get("/api/boards", admin).bodyAsJsonArray();
            snapshot = server.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject();
        }
        assertEquals(0, cli("restore", "--from", file.toString(), "--data-dir", restored.toString()));
        try (TestServer again = TestServer.start(restored, o -> { })) {
            String admin = again.adminToken();
            assertEquals(boards, again.get("/api/boards", admin).bodyAsJsonArray());
            assertEquals(snapshot, again.get("/api/boards/" + board + "/snapshot", admin).bodyAsJsonObject());
            JsonArray audit = again.get("/api/audit?action=restore", admin).bodyAsJsonObject().getJsonArray("entries");
            assertEquals(1, audit.size(), "the restore is audited");
        }
    }

    @Test
    void restoreRefusesANonEmptyDataDir(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("something"), "x");
        Path file = Files.writeString(tmp.resolve("x.db"), "not a database");
        assertEquals(1, cli("restore", "--from", file.toString(), "--data-dir", dir.toString()));
        assertEquals(List.of(dir.resolve("something")), Files.list(dir).toList());
    }

    @Test
    void restoreRefusesAFileThatIsNotALinkboardDatabase(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("x.db"), "not a database");
        assertEquals(1, cli("restore", "--from", file.toString(), "--data-dir", tmp.resolve("new").toString()));
        assertTrue(!Files.exists(tmp.resolve("new").resolve("linkboard.db")));
    }

    @Test
    void backupEndpointIsAdminOnlyAndTakesNamesNotPaths() {
        try (TestServer server = TestServer.start()) {
            String admin = server.adminToken();
            server.createUser(admin, "b-editor", "university", "editor");
            HttpResponse<Buffer> r = server.post("/api/admin/backup", admin, new JsonObject().put("name", "../../etc/evil"));
            assertEquals(422, r.statusCode(), r.bodyAsString());
            assertEquals("name", r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("field"));
            assertEquals(403, server.post("/api/admin/backup", server.login("b-editor", "b-editor-pw"), null).statusCode());
            HttpResponse<Buffer> ok = server.post("/api/admin/backup", admin, null);
            assertEquals(201, ok.statusCode(), ok.bodyAsString());
            assertTrue(Files.isRegularFile(server.dataDir().resolve("backups").resolve(ok.bodyAsJsonObject().getString("name"))));
            JsonArray audit = server.get("/api/audit?action=backup", admin).bodyAsJsonObject().getJsonArray("entries");
            assertEquals(1, audit.size());
            assertEquals("u-admin", audit.getJsonObject(0).getString("actor"));
        }
    }
}
