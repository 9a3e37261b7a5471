package org.linkboard.server.board;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemFieldsTest {

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void keepsTheSourceOrderAndLeavesNullValuesOut() {
        ItemFields f = ItemFields.of(ordered("b", 1L, "gone", null, "a", "x"));
        assertEquals(List.of("b", "a"), new ArrayList<>(f.keySet()));
        assertEquals(2, f.size());
        assertFalse(f.containsKey("gone"));
    }

    @Test
    void equalsAndHashesLikeAnyOtherMapWithTheSameEntries() {
        ItemFields f = ItemFields.of(ordered("title", "t", "progress", 40L));
        Map<String, Object> other = new HashMap<>(Map.of("progress", 40L, "title", "t"));
        assertEquals(other, f);
        assertEquals(f, other);
        assertEquals(other.hashCode(), f.hashCode());
    }

    @Test
    void settingAnExistingFieldReplacesItInPlaceAndANewOneGoesLast() {
        ItemFields f = ItemFields.of(ordered("a", 1L, "b", 2L));
        ItemFields g = f.with("a", 9L).with("c", 3L);
        assertEquals(ordered("a", 9L, "b", 2L, "c", 3L).entrySet().stream().toList(), g.entrySet().stream().toList());
        assertEquals(ordered("a", 1L, "b", 2L), f, "the original is unchanged");
    }

    @Test
    void settingAnEqualValueOrRemovingAnAbsentFieldReturnsTheSameMap() {
        ItemFields f = ItemFields.of(ordered("a", "x"));
        assertSame(f, f.with("a", new String("x")));
        assertSame(f, f.without("b"));
        assertSame(f, f.with("b", null));
    }

    @Test
    void removingKeepsTheOrderOfTheRest() {
        ItemFields f = ItemFields.of(ordered("a", 1L, "b", 2L, "c", 3L));
        assertEquals(List.of("a", "c"), new ArrayList<>(f.without("b").keySet()));
        assertEquals(List.of("b", "c"), new ArrayList<>(f.with("a", null).keySet()));
        assertTrue(ItemFields.of(ordered("a", 1L)).without("a").isEmpty());
    }

    @Test
    void looksUpKeysByValueNotOnlyByIdentity() {
        ItemFields f = ItemFields.of(ordered("title", "t"));
        assertEquals("t", f.get(new String("title")));
        assertNull(f.get("other"));
        assertNull(f.get(null));
    }

    @Test
    void cannotBeChangedThroughTheMapInterface() {
        ItemFields f = ItemFields.of(ordered("a", 1L));
        assertThrows(UnsupportedOperationException.class, () -> f.put("b", 2L));
        assertThrows(UnsupportedOperationException.class, () -> f.entrySet().iterator().next().setValue(3L));
        assertThrows(UnsupportedOperationException.class, () -> f.keySet().clear());
    }
}
