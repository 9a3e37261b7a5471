package org.linkboard.plugins.recruitment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.linkboard.testkit.LinkboardTestServer;
import org.linkboard.testkit.LinkboardTestServer.Response;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar in a real server started with {@code --demo} (foreign-teacher-recruitment
 * enabled for xuteli): the demo candidate, a candidate taken to arrival over HTTP with the
 * follow-up cards made by the system user, the pipeline statistics, and MODULE_DISABLED for a
 * college without the module.
 */
@Timeout(120)
class RecruitmentIT {

    static LinkboardTestServer server;

    @BeforeAll
    static void start() {
        server = LinkboardTestServer.start(List.of(Path.of(System.getProperty("plugin.jar", "target/foreign-teacher-recruitment.jar"))), true);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Map<String, Object> set(String id, String field, Object value) {
        return Map.of("kind", "set", "id", id, "field", field, "value", value);
    }

    private static JsonObject fields(JsonObject items, String id) {
        return items.getJsonObject(id).getJsonObject("fields");
    }

    @Test
    void theDemoHasACandidateAtInterviewWithItsStageRecorded() {
        String token = server.login("xuteli-editor", "demo");
        JsonObject items = server.awaitItems("xuteli-exchange", token,
                i -> i.containsKey("xu-cand-garcia") && fields(i, "xu-cand-garcia").containsKey("stageLog"));
        assertEquals("interview", fields(items, "xu-cand-garcia").getString("stage"));
        assertTrue(fields(items, "xu-cand-garcia").getJsonArray("stageLog").getString(0).startsWith("interview@"));
    }

    @Test
    void anEditorTakesACandidateFromSourcingToArrival() {
        String token = server.login("xuteli-editor", "demo");
        Response created = server.op("xuteli-exchange", token, Map.of("kind", "create", "id", "it-cand", "type",
                "foreign-teacher-recruitment:candidate", "parent", "recruitment", "fields",
                Map.of("name", "Dr. Maria Rossi", "nationality", "Italian", "discipline", "Architecture")));
        assertEquals(200, created.status(), created.body());
        for (String stage : List.of("screening", "interview")) {
            assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "stage", stage)).status());
        }
        Response noBand = server.op("xuteli-exchange", token, set("it-cand", "stage", "offer"));
        assertEquals("VALIDATION_FAILED", noBand.errorCode(), noBand.body());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "salaryBand", "B")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "stage", "offer")).status());

        JsonObject items = server.awaitItems("xuteli-exchange", token, i -> i.containsKey("it-cand-offer-2"));
        assertEquals("Employment contract: Dr. Maria Rossi", fields(items, "it-cand-offer-1").getString("title"));
        assertEquals("recruitment", items.getJsonObject("it-cand-offer-1").getString("parent"));

        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "stage", "visa")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "stage", "onboarding")).status());
        Response noPermit = server.op("xuteli-exchange", token, set("it-cand", "stage", "arrival"));
        assertEquals("visaStatus", noPermit.json().getJsonObject("error").getJsonObject("details").getString("field"));
        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "visaStatus", "granted")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-cand", "stage", "arrival")).status());

        items = server.awaitItems("xuteli-exchange", token, i -> i.containsKey("it-cand-onboarding-2")
                && fields(i, "it-cand").getJsonArray("stageLog", new JsonArray()).size() == 7);
        assertEquals("Induction: Dr. Maria Rossi", fields(items, "it-cand-onboarding-2").getString("title"));
        JsonArray log = fields(items, "it-cand").getJsonArray("stageLog");
        assertTrue(log.getString(6).startsWith("arrival@"), log.encode());

        // The follow-ups were made by the system user.
        JsonArray ops = server.get("/api/boards/xuteli-exchange/ops?since=0&limit=1000", token).json().getJsonArray("ops");
        assertTrue(ops.stream().map(JsonObject.class::cast)
                .filter(o -> o.getJsonObject("op").getString("id").startsWith("it-cand-"))
                .allMatch(o -> "system".equals(o.getString("by"))), ops.encode());

        Response stats = server.get("/api/modules/foreign-teacher-recruitment/pipeline?board=xuteli-exchange", token);
        assertEquals(200, stats.status(), stats.body());
        JsonObject arrival = stats.json().getJsonArray("stages").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("id").equals("arrival")).findFirst().orElseThrow();
        assertTrue(arrival.getInteger("count") >= 1, stats.body());
    }

    @Test
    void aCollegeWithoutTheModuleGetsModuleDisabled() {
        String token = server.login("mech-editor", "demo");
        Response create = server.op("mech-plan", token, Map.of("kind", "create", "id", "mech-cand", "type",
                "foreign-teacher-recruitment:candidate", "parent", "mech-out", "fields", Map.of("name", "Dr. X")));
        assertEquals(403, create.status(), create.body());
        assertEquals("MODULE_DISABLED", create.errorCode());
        assertEquals("MODULE_DISABLED", server.get("/api/modules/foreign-teacher-recruitment/pipeline?board=mech-plan", token).errorCode());
    }
}
