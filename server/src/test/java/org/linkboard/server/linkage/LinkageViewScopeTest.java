package org.linkboard.server.linkage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linkboard.server.linkage.Linkage.assertRollup;
import static org.linkboard.server.linkage.Linkage.card;
import static org.linkboard.server.linkage.Linkage.goal;
import static org.linkboard.server.linkage.Linkage.link;
import static org.linkboard.server.linkage.Linkage.ok;
import static org.linkboard.server.linkage.Linkage.view;

/**
 * {@code GET /api/boards/{id}/items/{item}/linkage}: everyone who may read the goal sees its full
 * rollup, but the contributors listed are only those on boards the caller may read.
 */
class LinkageViewScopeTest {

    static TestServer server;
    static String admin;
    static String uni;
    static String collegeA;
    static String collegeB;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUnit(admin, "college-a", "college", "university");
        server.createUnit(admin, "college-b", "college", "university");
        server.createUser(admin, "a-viewer", "college-a", "viewer");
        server.createUser(admin, "uni-viewer", "university", "viewer");
        uni = server.createBoard(admin, "university", "university");
        collegeA = server.createBoard(admin, "college a", "college-a");
        collegeB = server.createBoard(admin, "college b", "college-b");
        ok(server, admin, uni, goal("g", "Send 130 abroad", "metric", "students", "target", 130, "baseline", 60, "baselineYear", 2019));
        ok(server, admin, uni, card("u1", "University quota", "students", 30));
        ok(server, admin, uni, link("u1", uni, "g"));
        ok(server, admin, collegeA, card("a1", "Germany", "students", 12, "status", "done"));
        ok(server, admin, collegeA, link("a1", uni, "g"));
        ok(server, admin, collegeB, goal("bg", "College B share", "metric", "students", "target", 20));
        ok(server, admin, collegeB, card("b1", "Japan", "students", 15));
        ok(server, admin, collegeB, link("b1", collegeB, "bg"));
        ok(server, admin, collegeB, link("bg", uni, "g"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> boardsListed(JsonObject view) {
        List<String> out = new ArrayList<>();
        for (Object u : view.getJsonArray("contributors")) {
            for (Object b : ((JsonObject) u).getJsonArray("boards")) out.add(((JsonObject) b).getString("board"));
        }
        return out;
    }

    @Test
    void aUniversityReaderSeesEveryContributorGroupedByUnitAndBoard() {
        JsonObject v = view(server, server.login("uni-viewer", "uni-viewer-pw"), uni, "g");
        assertRollup(3, 1, 57, 100.0 * 57 / 130, v.getJsonObject("goal").getJsonObject("rollup"));
        assertEquals(List.of(collegeA, collegeB, uni), boardsListed(v));
        JsonArray units = v.getJsonArray("contributors");
        assertEquals(List.of("college-a", "college-b", "university"), units.stream().map(o -> ((JsonObject) o).getString("unit")).toList());
        JsonObject nested = units.getJsonObject(1).getJsonArray("boards").getJsonObject(0).getJsonArray("items").getJsonObject(0);
        assertEquals("bg", nested.getString("item"));
        assertRollup(1, 0, 15, 75, nested.getJsonObject("rollup"));
        assertEquals(15, nested.getInteger("value"));
        assertEquals(0, v.getJsonObject("hidden").getInteger("children"));
    }

    @Test
    void aCollegeReaderSeesTheWholeTotalButOnlyContributorsItMayRead() {
        JsonObject v = view(server, server.login("a-viewer", "a-viewer-pw"), uni, "g");
        assertRollup(3, 1, 57, 100.0 * 57 / 130, v.getJsonObject("goal").getJsonObject("rollup"));
        assertEquals(List.of(collegeA, uni), boardsListed(v), "college b is outside college a's read scope");
        assertTrue(!v.encode().contains(collegeB) && !v.encode().contains("Japan"), "nothing names the hidden board: " + v.encode());
        JsonObject hidden = v.getJsonObject("hidden");
        assertEquals(1, hidden.getInteger("children"));
        assertEquals(15, hidden.getInteger("sum"));
    }

    @Test
    void theViewComparesTheRollupWithTheGoalsBaseline() {
        JsonObject b = view(server, admin, uni, "g").getJsonObject("baseline");
        assertEquals(2019, b.getInteger("year"));
        assertEquals(60, b.getInteger("value"));
        assertEquals(57, b.getInteger("current"));
        assertEquals(-3, b.getInteger("change"));
        assertEquals(-5.0, b.getDouble("changePercent"), 1e-9);
    }

    @Test
    void aGoalOutsideTheReadScopeIsNotFound() {
        var r = server.get("/api/boards/" + collegeB + "/items/bg/linkage", server.login("a-viewer", "a-viewer-pw"));
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }

    @Test
    void anItemThatIsNotAGoalIsNotFound() {
        assertEquals(404, server.get("/api/boards/" + uni + "/items/u1/linkage", admin).statusCode());
        assertEquals(404, server.get("/api/boards/" + uni + "/items/ghost/linkage", admin).statusCode());
    }

    @Test
    void aNestedGoalListsTheGoalsItContributesTo() {
        JsonObject v = view(server, server.login("uni-viewer", "uni-viewer-pw"), collegeB, "bg");
        JsonArray up = v.getJsonArray("contributesTo");
        assertEquals(1, up.size());
        assertEquals("g", up.getJsonObject(0).getString("item"));
        assertEquals(uni, up.getJsonObject(0).getString("board"));
    }
}
