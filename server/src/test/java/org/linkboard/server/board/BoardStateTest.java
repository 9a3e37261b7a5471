package org.linkboard.server.board;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardStateTest {

    static final String BOARD = "b1";
    final BoardState state = new BoardState(BOARD);
    long seq;

    List<String> apply(Op op) {
        return state.apply(op, ++seq);
    }

    List<String> ids(List<Item> items) {
        return items.stream().map(Item::id).toList();
    }

    void lanesAndCards() {
        apply(new Op.Create("lane1", "lane", null, null, Map.of("title", "Todo")));
        apply(new Op.Create("lane2", "lane", null, null, Map.of("title", "Done")));
        apply(new Op.Create("card1", "card", "lane1", null, Map.of("title", "One")));
        apply(new Op.Create("card2", "card", "lane1", null, Map.of("title", "Two")));
    }

    @Test
    void itemsEncodedStraightFromTheItemsAreTheJsonOfTheirMaps() {
        lanesAndCards();
        apply(new Op.Create("card3", "card", "lane2", null, Map.of("title", "Ünï \"quoted\" \\ </tag> \u2028 😀",
                "points", 3L, "ratio", 0.25, "done", true, "tags", List.of("a", 2L, Map.of("k", List.of())),
                "meta", Map.of("nested", Map.of("deep", false)))));
        apply(new Op.Link("card3", new LinkRef("b2", "goal1")));
        apply(new Op.Link("card3", new LinkRef("b3", "goal2")));
        List<Item> detached = state.detachedItems();

        // The same JSON (a character outside the BMP may come out escaped: the same string once read).
        assertEquals(new io.vertx.core.json.JsonObject(BoardState.itemsToMap(detached)),
                new io.vertx.core.json.JsonObject(BoardState.encodeItems(detached)));
        assertEquals(state.itemsToMap(), BoardState.fromSnapshotJson(BOARD, seq, BoardState.encodeItems(detached)).itemsToMap());
    }

    @Test
    void aSnapshotReadInOnePassHoldsCanonicalValues() {
        BoardState s = BoardState.fromSnapshotJson("b", 7,
                "{\"c1\":{\"id\":\"c1\",\"type\":\"card\",\"parent\":null,\"pos\":\"a0\","
                        + "\"fields\":{\"n\":5.0,\"big\":12345678901,\"x\":0.5,\"tags\":[1,{\"k\":2.0}],\"gone\":null},\"links\":[]}}");

        assertEquals(7, s.version());
        Map<String, Object> fields = s.item("c1").fields();
        assertEquals(5L, fields.get("n"));
        assertEquals(12345678901L, fields.get("big"));
        assertEquals(0.5, fields.get("x"));
        assertEquals(List.of(1L, Map.of("k", 2L)), fields.get("tags"));
        assertTrue(!fields.containsKey("gone"));
    }

    @Test
    void aMalformedSnapshotIsRefusedWhole() {
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshotJson("b", 1, "{\"c1\":{\"id\":\"c1\""));
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshotJson("b", 1, "[]"));
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshotJson("b", 1, "{\"c1\":3}"));
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshotJson("b", 1,
                "{\"c1\":{\"id\":\"c1\",\"type\":\"card\",\"pos\":\"a0\",\"fields\":{\"n\":1e400}}}"));
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshotJson("b", 1, "{} {}"));
    }

    @Test
    void aNewBoardIsEmptyAtVersionZero() {
        assertEquals(0, state.version());
        assertTrue(state.items().isEmpty());
    }

    @Test
    void createInsertsTheItem() {
        assertEquals(List.of("lane1"), apply(new Op.Create("lane1", "lane", null, "a0", Map.of("title", "Todo"))));
        Item lane = state.item("lane1");
        assertEquals("lane", lane.type());
        assertNull(lane.parent());
        assertEquals("a0", lane.pos());
        assertEquals(Map.of("title", "Todo"), lane.fields());
        assertEquals(List.of(), lane.links());
    }

    @Test
    void applyMovesTheVersionToTheSeq() {
        state.apply(new Op.Create("lane1", "lane", null, null, Map.of()), 7);
        assertEquals(7, state.version());
    }

    @Test
    void createWithoutPosGoesAfterTheLastSibling() {
        lanesAndCards();
        assertEquals(List.of("card1", "card2"), ids(state.children("lane1")));
        assertTrue(state.item("card1").pos().compareTo(state.item("card2").pos()) < 0);
    }

    @Test
    void completeFillsThePosThatApplyWouldChoose() {
        lanesAndCards();
        Op.Create create = new Op.Create("card3", "card", "lane1", null, Map.of("title", "Three"));
        Op.Create completed = (Op.Create) state.complete(create, ItemTypes.builtIn());
        BoardState other = state.copy();
        apply(create);
        other.apply(completed, seq);
        assertEquals(state.itemsToMap(), other.itemsToMap());
        assertEquals(FractionalIndex.after(state.item("card2").pos()), completed.pos());
    }

    @Test
    void completeReturnsTheSameOpWhenNothingIsMissing() {
        Op op = new Op.Create("lane1", "lane", null, "a0", Map.of());
        assertSame(op, state.complete(op, ItemTypes.builtIn()));
    }

    @Test
    void completeDoesNotMutateTheState() {
        lanesAndCards();
        Map<String, Object> before = state.itemsToMap();
        state.complete(new Op.Move("card1", "lane2", null), ItemTypes.builtIn());
        assertEquals(before, state.itemsToMap());
    }

    @Test
    void siblingsWithTheSamePosOrderById() {
        apply(new Op.Create("zed", "lane", null, "a0", Map.of()));
        apply(new Op.Create("abe", "lane", null, "a0", Map.of()));
        assertEquals(List.of("abe", "zed"), ids(state.children(null)));
    }

    @Test
    void setReplacesAField() {
        lanesAndCards();
        assertEquals(List.of("card1"), apply(new Op.SetField("card1", "title", "Uno")));
        assertEquals("Uno", state.item("card1").fields().get("title"));
    }

    @Test
    void setNullRemovesTheField() {
        lanesAndCards();
        apply(new Op.SetField("card1", "status", "doing"));
        apply(new Op.SetField("card1", "status", null));
        assertTrue(!state.item("card1").fields().containsKey("status"));
    }

    @Test
    void setToTheSameValueReportsNoChange() {
        lanesAndCards();
        assertEquals(List.of(), apply(new Op.SetField("card1", "title", "One")));
    }

    @Test
    void wholeNumbersAreStoredTheSameWhateverTheirJavaType() {
        lanesAndCards();
        apply(new Op.SetField("card1", "students", 5));
        apply(new Op.SetField("card2", "students", 5.0));
        assertEquals(state.item("card1").fields().get("students"), state.item("card2").fields().get("students"));
    }

    @Test
    void moveReordersWithinTheParent() {
        lanesAndCards();
        apply(new Op.Move("card2", "lane1", FractionalIndex.before(state.item("card1").pos())));
        assertEquals(List.of("card2", "card1"), ids(state.children("lane1")));
    }

    @Test
    void moveReparentsAfterTheLastSibling() {
        lanesAndCards();
        apply(new Op.Create("card3", "card", "lane2", null, Map.of("title", "Three")));
        assertEquals(List.of("card1"), apply(new Op.Move("card1", "lane2", null)));
        assertEquals(List.of("card3", "card1"), ids(state.children("lane2")));
        assertEquals(List.of("card2"), ids(state.children("lane1")));
        assertEquals("lane2", state.item("card1").parent());
    }

    @Test
    void moveWithoutPosOfTheLastSiblingKeepsItLast() {
        lanesAndCards();
        apply(new Op.Move("card2", "lane1", null));
        assertEquals(List.of("card1", "card2"), ids(state.children("lane1")));
    }

    @Test
    void deleteRemovesTheWholeSubtree() {
        lanesAndCards();
        apply(new Op.Create("sub", "card", "card1", null, Map.of("title", "Sub")));
        List<String> removed = apply(new Op.Delete("lane1"));
        assertEquals(List.of("lane1", "card1", "sub", "card2"), removed);
        assertNull(state.item("card1"));
        assertNull(state.item("sub"));
        assertEquals(List.of(), state.children("lane1"));
        assertEquals(List.of("lane2"), ids(state.children(null)));
    }

    @Test
    void deleteRemovesLinksPointingAtRemovedItems() {
        lanesAndCards();
        apply(new Op.Create("goal1", "goal", "lane2", null, Map.of("title", "G")));
        apply(new Op.Link("card1", new LinkRef(BOARD, "goal1")));
        List<String> changed = apply(new Op.Delete("lane2"));
        assertEquals(List.of("lane2", "goal1", "card1"), changed);
        assertEquals(List.of(), state.item("card1").links());
        assertEquals(List.of(), state.linkedFrom("goal1"));
    }

    @Test
    void deleteOfALinkingItemForgetsItsLinks() {
        lanesAndCards();
        apply(new Op.Create("goal1", "goal", null, null, Map.of("title", "G")));
        apply(new Op.Link("card1", new LinkRef(BOARD, "goal1")));
        apply(new Op.Delete("card1"));
        assertEquals(List.of(), state.linkedFrom("goal1"));
    }

    @Test
    void linkAppendsInOrderAndUnlinkRemoves() {
        lanesAndCards();
        apply(new Op.Create("g1", "goal", null, null, Map.of("title", "G1")));
        apply(new Op.Create("g2", "goal", null, null, Map.of("title", "G2")));
        apply(new Op.Link("card1", new LinkRef(BOARD, "g2")));
        apply(new Op.Link("card1", new LinkRef(BOARD, "g1")));
        assertEquals(List.of(new LinkRef(BOARD, "g2"), new LinkRef(BOARD, "g1")), state.item("card1").links());
        assertEquals(List.of("card1"), apply(new Op.Unlink("card1", new LinkRef(BOARD, "g2"))));
        assertEquals(List.of(new LinkRef(BOARD, "g1")), state.item("card1").links());
        assertEquals(List.of(), state.linkedFrom("g2"));
        assertEquals(List.of("card1"), state.linkedFrom("g1"));
    }

    @Test
    void anOpThatIsNotApplicableChangesNothingButTheVersion() {
        lanesAndCards();
        Map<String, Object> before = state.itemsToMap();
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "x");
        List<Op> bad = List.of(
                new Op.Create("card1", "card", null, null, fields),      // id taken
                new Op.Create("bad id", "card", null, null, fields),     // id syntax
                new Op.Create("c9", "card", "ghost", null, fields),      // missing parent
                new Op.Create("c9", "card", null, "a00", fields),        // bad pos
                new Op.Create("c9", null, null, null, fields),           // no type
                new Op.SetField("ghost", "title", "x"),
                new Op.Move("lane1", "card1", null),                     // under own descendant
                new Op.Move("card1", "card1", null),                     // under itself
                new Op.Move("card1", "lane2", "!"),
                new Op.Delete("ghost"),
                new Op.Link("card1", new LinkRef(BOARD, "card1")),       // self link
                new Op.Link("card1", new LinkRef(BOARD, "ghost")),
                new Op.Link("card1", null),
                new Op.Unlink("card1", new LinkRef(BOARD, "lane1")));
        for (Op op : bad) {
            assertEquals(List.of(), apply(op), op.toString());
            assertEquals(before, state.itemsToMap(), op.toString());
            assertEquals(seq, state.version());
        }
    }

    @Test
    void applyOfNullChangesNothing() {
        assertEquals(List.of(), state.apply(null, 1));
        assertEquals(1, state.version());
    }

    @Test
    void snapshotRoundTripRestoresEqualState() {
        lanesAndCards();
        apply(new Op.Create("g1", "goal", null, null, Map.of("title", "G1", "target", 10)));
        apply(new Op.Link("card1", new LinkRef(BOARD, "g1")));
        BoardState restored = OpCodec.decodeSnapshot(BOARD, state.version(), OpCodec.encodeItems(state).copy());
        assertEquals(state.itemsToMap(), restored.itemsToMap());
        assertEquals(state.version(), restored.version());
        assertEquals(ids(state.children("lane1")), ids(restored.children("lane1")));
        assertEquals(List.of("card1"), restored.linkedFrom("g1"));
    }

    @Test
    void fromSnapshotRejectsAnItemWithABadPos() {
        Map<String, Object> items = Map.of("x", Map.of("id", "x", "type", "lane", "pos", "a00"));
        assertThrows(IllegalArgumentException.class, () -> BoardState.fromSnapshot(BOARD, 1, items));
    }

    @Test
    void copyIsIndependent() {
        lanesAndCards();
        BoardState copy = state.copy();
        apply(new Op.SetField("card1", "title", "Changed"));
        apply(new Op.Move("card2", "lane2", null));
        assertEquals("One", copy.item("card1").fields().get("title"));
        assertEquals(List.of("card1", "card2"), ids(copy.children("lane1")));
        assertNotEquals(state.itemsToMap(), copy.itemsToMap());
    }

    @Test
    void itemFieldsCannotBeChangedFromOutside() {
        lanesAndCards();
        Map<String, Object> fields = state.item("card1").fields();
        assertThrows(UnsupportedOperationException.class, () -> fields.put("title", "hack"));
    }

    @Test
    void itemToMapHasTheContractShape() {
        lanesAndCards();
        Map<String, Object> m = state.item("card1").toMap();
        assertEquals(List.of("id", "type", "parent", "pos", "fields", "links"), List.copyOf(m.keySet()));
        assertEquals("lane1", m.get("parent"));
        assertNotNull(m.get("pos"));
    }
}
