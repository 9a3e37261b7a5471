package org.linkboard.server.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.linkboard.server.plugins.TestPlugins;
import org.linkboard.server.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module hooks show in /metrics with their module id: time per call and failures. */
class ModuleHookMetricsTest {

    @Test
    void hookCallsOfAModuleAreTimedAndCountedPerModule() throws Exception {
        Path plugins = Files.createTempDirectory("metrics-plugins");
        TestPlugins.risk("m-risk", "1.0.0").writeTo(plugins);
        try (TestServer server = TestServer.start(o -> o.pluginsDir(plugins))) {
            String admin = server.adminToken();
            assertEquals(204, server.request(io.vertx.core.http.HttpMethod.PUT, "/api/units/university/modules/m-risk", admin, null).statusCode());
            String board = server.createBoard(admin, "risks", "university");
            JsonObject op = new JsonObject().put("kind", "create").put("id", "r1").put("type", "m-risk:risk")
                    .put("fields", new JsonObject().put("title", "Visa delays"));
            assertEquals(200, server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", "r1").put("op", op)).statusCode());
            String text = server.get("/metrics", admin).bodyAsString();
            Matcher m = Pattern.compile("linkboard_plugin_hook_time_seconds_count\\{module=\"m-risk\"[^}]*} ([0-9.]+)").matcher(text);
            assertTrue(m.find(), "hook timer of m-risk in:\n" + text.lines().filter(l -> l.contains("plugin")).toList());
            assertTrue(Double.parseDouble(m.group(1)) >= 1, "the create ran the module's validate hook");
            assertTrue(text.contains("linkboard_plugin_hook_failures_total{module=\"m-risk\""), "failures counter exists per module");
        } finally {
            TestServer.deleteRecursively(plugins);
        }
    }
}
