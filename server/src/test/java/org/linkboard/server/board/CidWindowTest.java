package org.linkboard.server.board;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The board's cid window: the newest keys with their seqs, the oldest forgotten first. */
class CidWindowTest {

    @Test
    void aKeyPutIsFoundWithItsSeqAndAnotherIsAbsent() {
        CidWindow window = new CidWindow(64);
        window.put("u1\nc-1", 7);

        assertEquals(7, window.seqOf("u1\nc-1"));
        assertEquals(CidWindow.ABSENT, window.seqOf("u2\nc-1"));
        assertEquals(CidWindow.ABSENT, window.seqOf("u1\nc-10"));
    }

    @Test
    void anEmptyWindowHoldsNoKey() {
        assertEquals(CidWindow.ABSENT, new CidWindow(64).seqOf("u1\nc-1"));
    }

    @Test
    void pastItsCapacityTheOldestKeysAreForgottenFirst() {
        CidWindow window = new CidWindow(1024);
        for (int i = 1; i <= 1500; i++) window.put("u\n" + i, i);

        assertEquals(1024, window.size());
        assertEquals(CidWindow.ABSENT, window.seqOf("u\n476"));
        assertEquals(477, window.seqOf("u\n477"));
        assertEquals(1500, window.seqOf("u\n1500"));
    }

    @Test
    void puttingAHeldKeyAgainChangesItsSeqButNotItsPlace() {
        CidWindow window = new CidWindow(64);
        window.put("u\nfirst", 1);
        for (int i = 2; i <= 64; i++) window.put("u\n" + i, i);
        window.put("u\nfirst", 99);
        window.put("u\n65", 65);

        assertEquals(64, window.size());
        assertEquals(CidWindow.ABSENT, window.seqOf("u\nfirst"));
        assertEquals(65, window.seqOf("u\n65"));
    }

    @Test
    void keysOutsideAsciiAreTheirOwnKeys() {
        CidWindow window = new CidWindow(64);
        window.put("u\n卡片-1", 1);
        window.put("u\nключ", 2);
        window.put("u\n𝄞", 3);

        assertEquals(1, window.seqOf("u\n卡片-1"));
        assertEquals(2, window.seqOf("u\nключ"));
        assertEquals(3, window.seqOf("u\n𝄞"));
        assertEquals(CidWindow.ABSENT, window.seqOf("u\n卡片-2"));
    }

    @Test
    void itAnswersAsALinkedHashMapOfTheNewestKeysWouldThroughGrowthWrapsAndEvictions() {
        Random random = new Random(42);
        for (int capacity : new int[] {64, 256, 4096}) {
            CidWindow window = new CidWindow(capacity);
            Map<String, Long> model = new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > capacity;
                }
            };
            // Keys from a pool about twice the capacity, so puts both repeat held keys and evict.
            for (int step = 0; step < capacity * 40; step++) {
                String key = "user-" + random.nextInt(4) + "\ncid-" + random.nextInt(capacity * 2);
                if (random.nextInt(3) == 0) {
                    assertEquals(model.getOrDefault(key, CidWindow.ABSENT), window.seqOf(key), key + " at step " + step);
                } else {
                    long seq = step + 1;
                    model.put(key, seq);
                    window.put(key, seq);
                }
            }
            assertEquals(model.size(), window.size());
            for (Map.Entry<String, Long> e : model.entrySet()) assertEquals(e.getValue(), window.seqOf(e.getKey()));
        }
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CidWindow(10_000));
        assertThrows(IllegalArgumentException.class, () -> new CidWindow(32));
    }
}
