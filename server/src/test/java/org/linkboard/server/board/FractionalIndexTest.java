package org.linkboard.server.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FractionalIndexTest {

    /** Same keys as the npm package fractional-indexing, so JavaScript clients can use it. */
    @ParameterizedTest(name = "between({0}, {1}) = {2}")
    @CsvSource(nullValues = "null", value = {
            "null, null, a0",
            "null, a0, Zz",
            "null, Zz, Zy",
            "a0, null, a1",
            "a1, null, a2",
            "a0, a1, a0V",
            "a1, a2, a1V",
            "a0V, a1, a0l",
            "Zz, a0, ZzV",
            "Zz, a1, a0",
            "null, Y00, Xzzz",
            "bzz, null, c000",
            "a0, a0V, a0G",
            "a0, a0G, a08",
            "b125, b129, b127",
            "a0, a1V, a1",
            "Zz, a01, a0",
            "null, a0V, a0",
            "null, b999, b99",
            "null, A000000000000000000000000001, A000000000000000000000000000V",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzy, null, zzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzz, null, zzzzzzzzzzzzzzzzzzzzzzzzzzzV",
    })
    void betweenMatchesTheFractionalIndexingPackage(String before, String after, String expected) {
        assertEquals(expected, FractionalIndex.between(before, after));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a00", "0", "1", "b1", "a0!", "a0 ", "A00000000000000000000000000"})
    void malformedKeysAreNotValid(String key) {
        assertFalse(FractionalIndex.isValid(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a0", "Zz", "a0V", "b00", "A000000000000000000000000001", "zzzzzzzzzzzzzzzzzzzzzzzzzzzV"})
    void wellFormedKeysAreValid(String key) {
        assertTrue(FractionalIndex.isValid(key));
    }

    @Test
    void nullIsNotAValidKey() {
        assertFalse(FractionalIndex.isValid(null));
    }

    @Test
    void keysLongerThanTheLimitAreNotValid() {
        assertFalse(FractionalIndex.isValid("a0" + "1".repeat(FractionalIndex.MAX_LENGTH)));
    }

    @Test
    void betweenRejectsBoundsOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> FractionalIndex.between("a1", "a0"));
    }

    @Test
    void betweenRejectsEqualBounds() {
        assertThrows(IllegalArgumentException.class, () -> FractionalIndex.between("a1", "a1"));
    }

    @Test
    void betweenRejectsInvalidKeys() {
        assertThrows(IllegalArgumentException.class, () -> FractionalIndex.between("a00", null));
    }

    @Test
    void betweenIsAlwaysStrictlyBetweenUnderRandomInsertion() {
        Random random = new Random(42);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int at = random.nextInt(list.size() + 1);
            String a = at > 0 ? list.get(at - 1) : null;
            String b = at < list.size() ? list.get(at) : null;
            String k = FractionalIndex.between(a, b);
            assertTrue(FractionalIndex.isValid(k), k);
            assertTrue(a == null || a.compareTo(k) < 0, a + " < " + k);
            assertTrue(b == null || k.compareTo(b) < 0, k + " < " + b);
            list.add(at, k);
        }
    }

    @Test
    void appendingTenThousandTimesKeepsKeysAtMostFourCharacters() {
        String k = null;
        for (int i = 0; i < 10_000; i++) {
            String next = FractionalIndex.after(k);
            assertTrue(k == null || k.compareTo(next) < 0);
            k = next;
            assertTrue(k.length() <= 4, k);
        }
    }

    @Test
    void prependingTenThousandTimesKeepsKeysAtMostFourCharacters() {
        String k = null;
        for (int i = 0; i < 10_000; i++) {
            String next = FractionalIndex.before(k);
            assertTrue(k == null || next.compareTo(k) < 0);
            k = next;
            assertTrue(k.length() <= 4, k);
        }
    }

    @Test
    void insertingRightAfterTheSameItemGrowsKeysByAboutOneCharacterPerSixInsertions() {
        String first = FractionalIndex.first();
        String next = FractionalIndex.after(first);
        for (int i = 0; i < 600; i++) {
            next = FractionalIndex.between(first, next);
        }
        // Halving the gap each time costs log2(62) ≈ 5.95 insertions per base-62 character.
        assertTrue(next.length() <= 2 + 600 / 5, next.length() + " chars: " + next);
    }

    @Test
    void insertingRightBeforeTheSameItemGrowsKeysByAboutOneCharacterPerSixInsertions() {
        String last = FractionalIndex.after(FractionalIndex.first());
        String prev = FractionalIndex.first();
        for (int i = 0; i < 600; i++) {
            prev = FractionalIndex.between(prev, last);
        }
        assertTrue(prev.length() <= 2 + 600 / 5, prev.length() + " chars: " + prev);
    }
}
