package org.linkboard.server.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --demo} (CONTRACT §8): the seeded users log in with {@code demo} and see exactly the boards
 * their scope allows; a second start with {@code --demo} changes nothing that exists.
 */
class DemoDataTest {

    static final List<String> ALL = List.of("intl-office-plan", "mech-plan", "university-plan", "xuteli-exchange");
    static final Map<String, List<String>> VISIBLE = Map.of(
            "admin", ALL,
            "viewer", ALL,
            "aa-editor", List.of("university-plan"),
            "intl-editor", List.of("intl-office-plan", "university-plan"),
            "xuteli-admin", List.of("university-plan", "xuteli-exchange"),
            "xuteli-editor", List.of("university-plan", "xuteli-exchange"),
            "mech-editor", List.of("mech-plan", "university-plan"));

    static Path dir;
    static TestServer server;
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected one would lose the handler. */
    static final Logger DEMO_LOGGER = Logger.getLogger(DemoData.class.getName());
    static final List<LogRecord> demoLog = new CopyOnWriteArrayList<>();
    static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            demoLog.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        DEMO_LOGGER.addHandler(capture);
        dir = Files.createTempDirectory("linkboard-demo");
        server = demoServer(dir);
    }

    static TestServer demoServer(Path dataDir) {
        // As an operator would start it: --demo and no --admin-password.
        return TestServer.start(dataDir, o -> o.demo(true).adminPassword(null));
    }

    @AfterAll
    static void stop() {
        DEMO_LOGGER.removeHandler(capture);
        if (server != null) server.close();
        TestServer.deleteRecursively(dir);
    }

    static String login(TestServer s, String username, String password) {
        HttpResponse<Buffer> r = s.post("/api/auth/login", null, new JsonObject().put("username", username).put("password", password));
        assertEquals(200, r.statusCode(), username + ": " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("token");
    }

    static List<String> boards(TestServer s, String token) {
        return s.get("/api/boards", token).bodyAsJsonArray().stream().map(b -> ((JsonObject) b).getString("id")).sorted().toList();
    }

    @Test
    void everyDemoUserLogsInWithDemoAndSeesExactlyTheBoardsOfItsScope() {
        for (Map.Entry<String, List<String>> e : VISIBLE.entrySet()) {
            String token = login(server, e.getKey(), "demo");
            assertEquals(e.getValue(), boards(server, token), e.getKey());
            for (String board : ALL) {
                int expected = e.getValue().contains(board) ? 200 : 404;
                assertEquals(expected, server.get("/api/boards/" + board + "/snapshot", token).statusCode(), e.getKey() + " on " + board);
            }
        }
    }

    @Test
    void demoUsersHaveTheContractUnitsAndRoles() {
        Map<String, String[]> expected = Map.of(
                "admin", new String[]{"university", "admin"}, "aa-editor", new String[]{"academic-affairs", "editor"},
                "intl-editor", new String[]{"intl-office", "editor"}, "xuteli-admin", new String[]{"xuteli", "unit-admin"},
                "xuteli-editor", new String[]{"xuteli", "editor"}, "mech-editor", new String[]{"mech", "editor"},
                "viewer", new String[]{"university", "viewer"});
        expected.forEach((username, unitAndRole) -> {
            JsonObject me = server.get("/api/me", login(server, username, "demo")).bodyAsJsonObject();
            assertEquals(unitAndRole[0], me.getString("unit"), username);
            assertEquals(List.of(unitAndRole[1]), me.getJsonArray("roles").getList(), username);
        });
    }

    @Test
    void demoUnitsFormTheContractTree() {
        JsonArray units = server.get("/api/units", login(server, "viewer", "demo")).bodyAsJsonArray();
        Map<String, String> kinds = Map.of("academic-affairs", "department", "intl-office", "office", "xuteli", "college", "mech", "college");
        kinds.forEach((id, kind) -> {
            JsonObject u = units.stream().map(JsonObject.class::cast).filter(x -> x.getString("id").equals(id)).findFirst().orElseThrow();
            assertEquals(kind, u.getString("kind"), id);
            assertEquals("university", u.getString("parent"), id);
        });
    }

    @Test
    void universityPlanHasTheExchangeGoal() {
        JsonObject items = server.get("/api/boards/university-plan/snapshot", login(server, "aa-editor", "demo"))
                .bodyAsJsonObject().getJsonObject("items");
        JsonObject goal = items.getJsonObject("goal-exchange");
        assertEquals("goal", goal.getString("type"));
        assertEquals("students", goal.getJsonObject("fields").getString("metric"));
        assertEquals(130, goal.getJsonObject("fields").getInteger("target"));
    }

    @Test
    void xuteliHasTheThreeBundledModulesEnabled() {
        Map<String, Map<String, Boolean>> settings = Await.result(server.server().store().moduleEnablement());
        assertEquals(Map.of("course-introduction", true, "foreign-teacher-recruitment", true, "student-exchange", true), settings.get("xuteli"));
    }

    @Test
    void theLogWarnsThatDemoPasswordsArePublic() {
        assertTrue(demoLog.stream().anyMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                && r.getMessage().contains("demo") && r.getMessage().toLowerCase().contains("public")), "a warning about public demo passwords");
    }

    @Test
    void explicitAdminPasswordWinsOverTheDemoOne() throws Exception {
        try (TestServer s = TestServer.start(o -> o.demo(true).adminPassword("chosen-admin-pw"))) {
            login(s, "admin", "chosen-admin-pw");
            assertEquals(401, s.post("/api/auth/login", null, new JsonObject().put("username", "admin").put("password", "demo")).statusCode());
            login(s, "mech-editor", "demo");
        }
    }

    @Test
    void aSecondDemoStartOverwritesNothing() throws Exception {
        Path own = Files.createTempDirectory("linkboard-demo-again");
        TestServer first = demoServer(own);
        String admin;
        long versionBefore;
        try {
            admin = login(first, "admin", "demo");
            // Change a demo user: replace mech-editor with a different person and password.
            String mechId = first.get("/api/users", admin).bodyAsJsonArray().stream().map(JsonObject.class::cast)
                    .filter(u -> u.getString("username").equals("mech-editor")).findFirst().orElseThrow().getString("id");
            assertEquals(204, first.request(HttpMethod.DELETE, "/api/users/" + mechId, admin, null).statusCode());
            assertEquals(201, first.post("/api/users", admin, new JsonObject().put("username", "mech-editor").put("password", "new-secret")
                    .put("name", "Renamed Person").put("unit", "mech").put("roles", new JsonArray().add("viewer"))).statusCode());
            // Change a demo board, and archive another.
            HttpResponse<Buffer> op = first.post("/api/boards/university-plan/ops", admin, new JsonObject().put("cid", "edit-1")
                    .put("op", new JsonObject().put("kind", "set").put("id", "c-budget").put("field", "title").put("value", "Budget approved")));
            assertEquals(200, op.statusCode(), op.bodyAsString());
            assertEquals(204, first.request(HttpMethod.DELETE, "/api/boards/intl-office-plan", admin, null).statusCode());
            versionBefore = first.get("/api/boards/university-plan", admin).bodyAsJsonObject().getLong("version");
        } finally {
            first.stopKeepingData();
        }
        try (TestServer again = demoServer(own)) {
            admin = login(again, "admin", "demo");
            assertEquals(401, again.post("/api/auth/login", null, new JsonObject().put("username", "mech-editor").put("password", "demo")).statusCode(),
                    "the demo did not reset mech-editor's password");
            JsonObject mech = again.get("/api/me", login(again, "mech-editor", "new-secret")).bodyAsJsonObject();
            assertEquals("Renamed Person", mech.getString("name"));
            assertEquals(List.of("viewer"), mech.getJsonArray("roles").getList());
            JsonObject snap = again.get("/api/boards/university-plan/snapshot", admin).bodyAsJsonObject();
            assertEquals(versionBefore, snap.getLong("version"), "no demo op was replayed");
            assertEquals("Budget approved", snap.getJsonObject("items").getJsonObject("c-budget").getJsonObject("fields").getString("title"));
            assertEquals(404, again.get("/api/boards/intl-office-plan", admin).statusCode(), "the archived demo board stays archived");
            assertFalse(boards(again, admin).contains("intl-office-plan"));
            assertEquals(1, again.get("/api/users", admin).bodyAsJsonArray().stream()
                    .filter(u -> ((JsonObject) u).getString("username").equals("mech-editor")).count());
        } finally {
            TestServer.deleteRecursively(own);
        }
    }
}
