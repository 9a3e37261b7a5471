package org.linkboard.server.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.server.testing.JarProcess;
import org.linkboard.server.testing.RestClient;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar linkboard.jar backup|restore …} against a running jar, end to end. */
class OfflineCommandsIT {

    static final String[] SECRETS = {"--admin-password", "it-admin-password", "--jwt-secret", "it-secret-it-secret-it-secret-0123456"};

    static String[] serverFlags(Path dataDir) {
        String[] base = {"--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir.toString()};
        String[] all = new String[base.length + SECRETS.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(SECRETS, 0, all, base.length, SECRETS.length);
        return all;
    }

    @Test
    void backupOfARunningServerRestoresIntoAFreshDirWithTheSameBoardsAndVersions(@TempDir Path tmp) throws Exception {
        Path live = tmp.resolve("live");
        Path file = tmp.resolve("copy.db");
        Path fresh = tmp.resolve("fresh");
        JsonArray boards;
        try (JarProcess server = JarProcess.start(serverFlags(live)); RestClient client = new RestClient(server.port())) {
            String token = client.login("admin", "it-admin-password");
            String board = client.createBoard(token, "Backed up", "university");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.request(HttpMethod.POST, "/api/boards/" + board + "/ops", token, new JsonObject().put("op",
                        new JsonObject().put("kind", "create").put("id", "c" + i).put("type", "card")
                                .put("fields", new JsonObject().put("title", "card " + i)))).statusCode());
            }
            try (JarProcess backup = JarProcess.start("backup", "--data-dir", live.toString(), "--to", file.toString())) {
                assertEquals(0, backup.waitForExit(), backup.output());
            }
            boards = client.request(HttpMethod.GET, "/api/boards", token, null).bodyAsJsonArray();
            assertEquals(0, server.terminate());
        }
        try (JarProcess refused = JarProcess.start("restore", "--from", file.toString(), "--data-dir", live.toString())) {
            assertEquals(1, refused.waitForExit());
            assertTrue(refused.output().contains("not empty"), refused.output());
        }
        try (JarProcess restore = JarProcess.start("restore", "--from", file.toString(), "--data-dir", fresh.toString())) {
            assertEquals(0, restore.waitForExit(), restore.output());
        }
        try (JarProcess again = JarProcess.start(serverFlags(fresh)); RestClient client = new RestClient(again.port())) {
            String token = client.login("admin", "it-admin-password");
            assertEquals(boards, client.request(HttpMethod.GET, "/api/boards", token, null).bodyAsJsonArray());
            assertEquals(3L, boards.getJsonObject(0).getLong("version"));
        }
    }
}
