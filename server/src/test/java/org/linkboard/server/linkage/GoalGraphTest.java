package org.linkboard.server.linkage;

import org.junit.jupiter.api.Test;
import org.linkboard.server.board.LinkRef;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cross-board cycle checks, including links accepted but not yet indexed (reservations). */
class GoalGraphTest {

    static final LinkRef A = new LinkRef("a", "g");
    static final LinkRef B = new LinkRef("b", "g");
    static final LinkRef C = new LinkRef("c", "g");

    static boolean cycle(GoalGraph g, LinkRef from, LinkRef to, Map<String, List<LinkRef>> localLinks, long now) {
        return g.reserveUnlessCycle(from, to, from.board(), id -> localLinks.getOrDefault(id, List.of()), now);
    }

    @Test
    void twoBoardsAcceptingOppositeLinksAtOnceCannotBothPass() {
        GoalGraph g = new GoalGraph();
        assertFalse(cycle(g, A, B, Map.of(), 0), "A→B is the first: accepted and reserved");
        assertTrue(cycle(g, B, A, Map.of(), 0), "B→A sees the reservation of A→B, not yet indexed");
    }

    @Test
    void aCycleThroughIndexedLinksOfOtherBoardsIsFound() {
        GoalGraph g = new GoalGraph();
        g.put(B, List.of(C));
        g.put(C, List.of(A));
        assertTrue(cycle(g, A, B, Map.of(), 0), "B→C→A");
        assertTrue(cycle(g, A, C, Map.of(), 0), "C→A");
        assertEquals(0, g.reservations(), "a refused link reserves nothing");
    }

    @Test
    void linksOfTheSourceBoardAreReadFromItsOwnState() {
        GoalGraph g = new GoalGraph();
        LinkRef a2 = new LinkRef("a", "g2");
        g.put(B, List.of(a2));
        // a/g2 links to a/g on board a: only the board's state knows it (the index may lag).
        assertTrue(cycle(g, A, B, Map.of("g2", List.of(A)), 0));
        assertFalse(cycle(g, A, B, Map.of(), 0));
    }

    @Test
    void aReleasedOrExpiredReservationNoLongerBlocks() {
        GoalGraph g = new GoalGraph();
        assertFalse(cycle(g, A, B, Map.of(), 0));
        g.release(A, B);
        assertFalse(cycle(g, B, A, Map.of(), 0));
        assertEquals(1, g.reservations());
        assertFalse(cycle(g, A, C, Map.of(), GoalGraph.RESERVATION_NANOS + 1), "B→A expired: A→C is free");
        assertEquals(1, g.reservations(), "only A→C remains");
    }

    @Test
    void linkingAGoalToItselfIsACycle() {
        assertTrue(cycle(new GoalGraph(), A, A, Map.of(), 0));
    }
}
