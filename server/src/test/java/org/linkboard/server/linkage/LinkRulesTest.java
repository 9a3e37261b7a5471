package org.linkboard.server.linkage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.linkboard.server.linkage.Linkage.card;
import static org.linkboard.server.linkage.Linkage.goal;
import static org.linkboard.server.linkage.Linkage.link;
import static org.linkboard.server.linkage.Linkage.ok;
import static org.linkboard.server.linkage.Linkage.refused;
import static org.linkboard.server.linkage.Linkage.snapshotRollup;

/** Which links are accepted (CONTRACT §4): goals of the same or a higher unit, readable, no cycle. */
class LinkRulesTest {

    static TestServer server;
    static String admin;
    static String collegeEditor;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUnit(admin, "office", "office", "university");
        server.createUnit(admin, "college", "college", "office");
        server.createUnit(admin, "other-college", "college", "university");
        server.createUser(admin, "college-editor", "college", "editor");
        collegeEditor = server.login("college-editor", "college-editor-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCardLinksToAGoalOfAHigherUnitAndAGoalOfItsOwnUnit() {
        String uni = server.createBoard(admin, "uni", "university");
        String college = server.createBoard(admin, "college", "college");
        String college2 = server.createBoard(admin, "college 2", "college");
        ok(server, admin, uni, goal("g", "Goal"));
        ok(server, admin, college2, goal("cg", "College goal"));
        ok(server, collegeEditor, college, card("c", "Card"));
        ok(server, collegeEditor, college, link("c", uni, "g"));
        ok(server, collegeEditor, college, link("c", college2, "cg"));
        ok(server, collegeEditor, college, link("c", uni, "g")); // again: accepted, changes nothing
        assertEquals(1, snapshotRollup(server, admin, uni, "g").getInteger("children"));
    }

    @Test
    void aLinkToABoardOutsideTheReadScopeIsNotFound() {
        String other = server.createBoard(admin, "other college", "other-college");
        String college = server.createBoard(admin, "college scope", "college");
        ok(server, admin, other, goal("g", "Goal"));
        ok(server, collegeEditor, college, card("c", "Card"));
        assertEquals("NOT_FOUND", refused(server, collegeEditor, college, link("c", other, "g")));
        assertEquals("NOT_FOUND", refused(server, collegeEditor, college, link("c", "no-such-board", "g")));
    }

    @Test
    void aLinkToAGoalOfALowerOrSiblingUnitIsRefused() {
        String uni = server.createBoard(admin, "uni low", "university");
        String college = server.createBoard(admin, "college low", "college");
        String other = server.createBoard(admin, "sibling", "other-college");
        ok(server, admin, college, goal("cg", "College goal"));
        ok(server, admin, other, goal("og", "Other goal"));
        ok(server, admin, uni, card("c", "University card"));
        ok(server, admin, college, card("c", "College card"));
        assertEquals("VALIDATION_FAILED", refused(server, admin, uni, link("c", college, "cg")));
        // Even for an admin, who reads everything: a sibling unit is not above.
        assertEquals("VALIDATION_FAILED", refused(server, admin, college, link("c", other, "og")));
    }

    @Test
    void aLinkToSomethingOtherThanAnExistingGoalIsRefused() {
        String uni = server.createBoard(admin, "uni targets", "university");
        String college = server.createBoard(admin, "college targets", "college");
        ok(server, admin, uni, card("notgoal", "A card"));
        ok(server, collegeEditor, college, card("c", "Card"));
        assertEquals("VALIDATION_FAILED", refused(server, collegeEditor, college, link("c", uni, "notgoal")));
        assertEquals("NOT_FOUND", refused(server, collegeEditor, college, link("c", uni, "ghost")));
    }

    @Test
    void aCycleAcrossTwoBoardsIsLinkCycle() {
        String a = server.createBoard(admin, "cycle a", "university");
        String b = server.createBoard(admin, "cycle b", "university");
        ok(server, admin, a, goal("ga", "A"));
        ok(server, admin, b, goal("gb", "B"));
        ok(server, admin, a, link("ga", b, "gb"));
        assertEquals("LINK_CYCLE", refused(server, admin, b, link("gb", a, "ga")));
    }

    @Test
    void aCycleThroughThreeBoardsIsLinkCycle() {
        String a = server.createBoard(admin, "tri a", "university");
        String b = server.createBoard(admin, "tri b", "university");
        String c = server.createBoard(admin, "tri c", "university");
        ok(server, admin, a, goal("g", "A"));
        ok(server, admin, b, goal("g", "B"));
        ok(server, admin, c, goal("g", "C"));
        ok(server, admin, a, link("g", b, "g"));
        ok(server, admin, b, link("g", c, "g"));
        assertEquals("LINK_CYCLE", refused(server, admin, c, link("g", a, "g")));
    }

    @Test
    void aSameBoardLinkThatClosesACycleThroughAnotherBoardIsLinkCycle() {
        String a = server.createBoard(admin, "mixed a", "university");
        String b = server.createBoard(admin, "mixed b", "university");
        ok(server, admin, a, goal("a1", "A1"));
        ok(server, admin, a, goal("a2", "A2"));
        ok(server, admin, b, goal("b1", "B1"));
        ok(server, admin, a, link("a1", b, "b1"));
        ok(server, admin, b, link("b1", a, "a2"));
        assertEquals("LINK_CYCLE", refused(server, admin, a, link("a2", a, "a1")));
    }

    @Test
    void aCycleIsRejectedOverWebSocketWithTheCode() {
        String a = server.createBoard(admin, "ws a", "university");
        String b = server.createBoard(admin, "ws b", "university");
        ok(server, admin, a, goal("ga", "A"));
        ok(server, admin, b, goal("gb", "B"));
        ok(server, admin, a, link("ga", b, "gb"));
        try (WsClient s = server.connect(admin)) {
            s.next("welcome");
            s.join(b);
            var reject = s.op(b, "cyc", link("gb", a, "ga"));
            assertEquals("reject", reject.getString("type"));
            assertEquals("LINK_CYCLE", reject.getJsonObject("error").getString("code"));
        }
    }

    @Test
    void afterAnUnlinkTheReverseLinkIsAccepted() {
        String a = server.createBoard(admin, "undo a", "university");
        String b = server.createBoard(admin, "undo b", "university");
        ok(server, admin, a, goal("ga", "A"));
        ok(server, admin, b, goal("gb", "B"));
        ok(server, admin, a, link("ga", b, "gb"));
        ok(server, admin, a, Linkage.unlink("ga", b, "gb"));
        ok(server, admin, b, link("gb", a, "ga"));
    }
}
