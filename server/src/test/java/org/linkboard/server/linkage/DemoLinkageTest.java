package org.linkboard.server.linkage;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.linkboard.server.linkage.Linkage.assertRollup;
import static org.linkboard.server.linkage.Linkage.snapshotRollup;
import static org.linkboard.server.linkage.Linkage.view;

/**
 * {@code --demo} seeds the founding example of docs/linkage.md with its links: the university
 * goal "Send 130 undergraduates abroad" adds up the International Office's goal (76 students,
 * +90% on 2019), Xuteli College's cards (12, done, and 8) and Mechanical Engineering's goal (6).
 */
class DemoLinkageTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.demo(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theUniversityGoalRollsUpTheOfficeAndCollegePlans() {
        String admin = server.adminToken();
        assertRollup(4, 1, 102, 100.0 * 102 / 130, snapshotRollup(server, admin, "university-plan", "goal-exchange"));
        assertRollup(2, 0, 76, 95, snapshotRollup(server, admin, "intl-office-plan", "io-outbound"));
        assertRollup(1, 0, 6, 60, snapshotRollup(server, admin, "mech-plan", "mech-outbound"));
        assertRollup(1, 0, 1, 2.5, snapshotRollup(server, admin, "university-plan", "goal-courses"));
    }

    @Test
    void theOfficeReportsItsChangeAgainstTheBaseYear() {
        JsonObject baseline = view(server, server.login("intl-editor", "demo"), "intl-office-plan", "io-outbound").getJsonObject("baseline");
        assertEquals(2019, baseline.getInteger("year"));
        assertEquals(40, baseline.getInteger("value"));
        assertEquals(76, baseline.getInteger("current"));
        assertEquals(90.0, baseline.getDouble("changePercent"), 1e-9);
    }

    @Test
    void aCollegeEditorSeesTheUniversityTotalAndItsOwnContributions() {
        JsonObject v = view(server, server.login("xuteli-editor", "demo"), "university-plan", "goal-exchange");
        assertRollup(4, 1, 102, 100.0 * 102 / 130, v.getJsonObject("goal").getJsonObject("rollup"));
        assertEquals(1, v.getJsonArray("contributors").size(), "only Xuteli's own board is listed: " + v.encode());
        assertEquals("xuteli", v.getJsonArray("contributors").getJsonObject(0).getString("unit"));
        assertEquals(2, v.getJsonObject("hidden").getInteger("children"));
        assertEquals(82, v.getJsonObject("hidden").getInteger("sum"));
    }
}
