package org.linkboard.plugins.courses;

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
 * The packaged jar in a real server started with {@code --demo} (course-introduction enabled for
 * xuteli, the only plugin loaded): the demo's courses, the workflow over HTTP, the catalogue, and
 * MODULE_DISABLED for a college without the module.
 */
@Timeout(120)
class CourseIntroductionIT {

    static LinkboardTestServer server;

    @BeforeAll
    static void start() {
        server = LinkboardTestServer.start(List.of(Path.of(System.getProperty("plugin.jar", "target/course-introduction.jar"))), true);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Map<String, Object> set(String id, String field, Object value) {
        return Map.of("kind", "set", "id", id, "field", field, "value", value);
    }

    @Test
    void theDemoBoardOfXuteliHasACourseAwaitingSchedulingAndLeavesOutModulesThatAreNotLoaded() {
        JsonObject items = server.items("xuteli-exchange", server.login("xuteli-editor", "demo"));
        JsonObject course = items.getJsonObject("xu-robotics");
        assertEquals("course-introduction:course", course.getString("type"));
        assertEquals("approval", course.getJsonObject("fields").getString("stage"));
        assertEquals("card", items.getJsonObject("xu-japan").getString("type"), "student-exchange is not loaded here");
    }

    @Test
    void anEditorOfXuteliTakesACourseThroughTheWorkflow() {
        String token = server.login("xuteli-editor", "demo");
        Response created = server.op("xuteli-exchange", token, Map.of("kind", "create", "id", "it-course", "type",
                "course-introduction:course", "parent", "courses", "fields", Map.of("title", "Sustainable Cities",
                        "partnerUniversity", "University of Melbourne", "country", "Australia", "credits", 4)));
        assertEquals(200, created.status(), created.body());

        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "stage", "evaluation")).status());
        Response early = server.op("xuteli-exchange", token, set("it-course", "stage", "approval"));
        assertEquals(422, early.status(), early.body());
        assertEquals("VALIDATION_FAILED", early.errorCode());
        assertEquals("evaluation", early.json().getJsonObject("error").getJsonObject("details").getString("field"));

        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "evaluation", "Fits our urban planning track")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "stage", "approval")).status());
        assertEquals("term", server.op("xuteli-exchange", token, set("it-course", "stage", "scheduling"))
                .json().getJsonObject("error").getJsonObject("details").getString("field"));
        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "term", "2027 Spring")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "stage", "scheduling")).status());
        assertEquals(200, server.op("xuteli-exchange", token, set("it-course", "stage", "running")).status());

        assertEquals("running", server.items("xuteli-exchange", token).getJsonObject("it-course").getJsonObject("fields").getString("stage"));
        Response csv = server.get("/api/modules/course-introduction/catalogue.csv?board=xuteli-exchange", token);
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertTrue(csv.body().startsWith("id,title,partner university,"), csv.body());
        assertTrue(csv.body().contains("\r\nxu-robotics,Robot Learning,Technical University of Munich,Germany,"), csv.body());
        assertTrue(csv.body().contains("\r\nit-course,Sustainable Cities,University of Melbourne,Australia,,,4,,2027 Spring,"), csv.body());
    }

    @Test
    void creditsOutOfBoundsAreRefusedByTheServer() {
        String token = server.login("xuteli-editor", "demo");
        Response r = server.op("xuteli-exchange", token, Map.of("kind", "create", "id", "it-heavy", "type",
                "course-introduction:course", "parent", "courses", "fields", Map.of("title", "Too much",
                        "partnerUniversity", "Somewhere", "credits", 45)));
        assertEquals(422, r.status(), r.body());
        assertEquals("credits", r.json().getJsonObject("error").getJsonObject("details").getString("field"));
    }

    @Test
    void aCollegeWithoutTheModuleGetsModuleDisabled() {
        String token = server.login("mech-editor", "demo");
        Response create = server.op("mech-plan", token, Map.of("kind", "create", "id", "mech-course", "type",
                "course-introduction:course", "parent", "mech-out", "fields", Map.of("title", "Welding", "partnerUniversity", "KTH")));
        assertEquals(403, create.status(), create.body());
        assertEquals("MODULE_DISABLED", create.errorCode());

        Response route = server.get("/api/modules/course-introduction/catalogue.csv?board=mech-plan", token);
        assertEquals(403, route.status(), route.body());
        assertEquals("MODULE_DISABLED", route.errorCode());
    }

    @Test
    void theCatalogueFollowsTheCallersReadScope() {
        String token = server.login("xuteli-editor", "demo");
        // A board of a unit above the caller's is readable (CONTRACT §3); a sibling college's is not.
        assertEquals(200, server.get("/api/modules/course-introduction/catalogue.csv?board=university-plan", token).status());
        Response sibling = server.get("/api/modules/course-introduction/catalogue.csv?board=mech-plan", token);
        assertEquals(404, sibling.status(), sibling.body());
        assertEquals("NOT_FOUND", sibling.errorCode());
    }

    @Test
    void theCatalogueOfAnUnknownBoardIsNotFound() {
        Response r = server.get("/api/modules/course-introduction/catalogue.csv?board=nope", server.login("xuteli-editor", "demo"));
        assertEquals(404, r.status(), r.body());
        assertEquals("NOT_FOUND", r.errorCode());
    }

    @Test
    void theWebAssetIsServedWithoutAuthentication() {
        Response r = server.get("/api/modules/course-introduction/assets/course.js", null);
        assertEquals(200, r.status());
        assertTrue(r.body().contains("export function render"));
    }
}
