package org.linkboard.plugins.exchange;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.linkboard.testkit.LinkboardTestServer;
import org.linkboard.testkit.LinkboardTestServer.Response;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar in a real server started with {@code --demo} (student-exchange enabled for
 * xuteli): the demo programme feeds the university goal through its link, an editor runs a
 * programme over HTTP whose confirmed participants are counted and rolled up, the report, and
 * MODULE_DISABLED for a college without the module.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudentExchangeIT {

    static LinkboardTestServer server;

    @BeforeAll
    static void start() {
        server = LinkboardTestServer.start(List.of(Path.of(System.getProperty("plugin.jar", "target/student-exchange.jar"))), true);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Map<String, Object> set(String id, String field, Object value) {
        return Map.of("kind", "set", "id", id, "field", field, "value", value);
    }

    private static long students(JsonObject items, String programme) {
        return items.getJsonObject(programme).getJsonObject("fields").getLong("students", -1L);
    }

    private static JsonObject rollup(String token) {
        return server.items("university-plan", token).getJsonObject("goal-exchange").getJsonObject("rollup");
    }

    @Test
    @Order(1) // before the other tests add students of their own
    void theDemoProgrammeCountsItsParticipantsIntoTheUniversityGoal() {
        String token = server.login("xuteli-editor", "demo");
        JsonObject items = server.awaitItems("xuteli-exchange", token, i -> students(i, "xu-japan") == 8);
        assertEquals("student-exchange:programme", items.getJsonObject("xu-japan").getString("type"));
        // The same figures as without the module (docs/linkage.md): 76 + 12 + 8 + 6.
        JsonObject rollup = rollup(token);
        assertEquals(4, rollup.getInteger("children"));
        assertEquals(1, rollup.getInteger("done"));
        assertEquals(102, rollup.getInteger("sum"));
    }

    @Test
    void confirmedParticipantsOfALinkedProgrammeFeedTheGoal() {
        String token = server.login("xuteli-editor", "demo");
        server.awaitItems("xuteli-exchange", token, i -> students(i, "xu-japan") == 8);
        long before = rollup(token).getLong("sum");

        assertEquals(200, server.op("xuteli-exchange", token, Map.of("kind", "create", "id", "it-korea", "type",
                "student-exchange:programme", "parent", "outbound", "fields", Map.of("title", "Summer school in Korea",
                        "partner", "Yonsei University", "country", "Korea", "level", "undergraduate", "quota", 2, "year", 2026))).status());
        assertEquals(200, server.op("xuteli-exchange", token, Map.of("kind", "link", "id", "it-korea",
                "to", Map.of("board", "university-plan", "item", "goal-exchange"))).status());
        for (String s : List.of("it-kim", "it-park", "it-lee")) {
            Response r = server.op("xuteli-exchange", token, Map.of("kind", "create", "id", s, "type", "student-exchange:participant",
                    "parent", "xu-exchange-students", "fields", Map.of("studentName", s, "studentId", s.toUpperCase(), "programme", "it-korea")));
            assertEquals(200, r.status(), r.body());
            assertEquals(200, server.op("xuteli-exchange", token, set(s, "stage", "nomination")).status());
        }
        assertEquals(200, server.op("xuteli-exchange", token, set("it-kim", "stage", "confirmed")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-park", "stage", "confirmed")).status());
        Response full = server.op("xuteli-exchange", token, set("it-lee", "stage", "confirmed"));
        assertEquals(422, full.status(), full.body());
        assertEquals("stage", full.json().getJsonObject("error").getJsonObject("details").getString("field"));

        server.awaitItems("xuteli-exchange", token, i -> students(i, "it-korea") == 2);
        assertEquals(before + 2, rollup(token).getLong("sum"));

        Response report = server.get("/api/modules/student-exchange/report?board=xuteli-exchange&year=2026&baseYear=2019", token);
        assertEquals(200, report.status(), report.body());
        JsonObject r = report.json();
        assertEquals(10, r.getInteger("participants"));
        assertEquals("Japan 8, Korea 2", r.getJsonArray("byCountry").stream().map(JsonObject.class::cast)
                .map(c -> c.getString("country") + " " + c.getInteger("participants")).collect(Collectors.joining(", ")));
        assertEquals("xuteli 10", r.getJsonArray("byCollege").stream().map(JsonObject.class::cast)
                .map(c -> c.getString("unit") + " " + c.getInteger("participants")).collect(Collectors.joining(", ")));
        assertEquals(0, r.getJsonObject("change").getInteger("base"));
    }

    @Test
    void onlyTheModuleSetsStudents() {
        String token = server.login("xuteli-editor", "demo");
        Response r = server.op("xuteli-exchange", token, set("xu-japan", "students", 130));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.body().contains("students"));
    }

    @Test
    void aCollegeWithoutTheModuleGetsModuleDisabled() {
        String token = server.login("mech-editor", "demo");
        Response create = server.op("mech-plan", token, Map.of("kind", "create", "id", "mech-prog", "type",
                "student-exchange:programme", "parent", "mech-out", "fields", Map.of("title", "T", "partner", "NUS", "country", "Singapore")));
        assertEquals(403, create.status(), create.body());
        assertEquals("MODULE_DISABLED", create.errorCode());
        assertEquals("MODULE_DISABLED", server.get("/api/modules/student-exchange/report?board=mech-plan", token).errorCode());
    }
}
