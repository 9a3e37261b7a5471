package org.linkboard.server.board;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of one {@link Item}: an immutable map in insertion order, held as one array of
 * alternating keys and values.
 *
 * <p>Why not a {@code LinkedHashMap}: a board keeps every item in memory, most items have a handful
 * of fields, and each young collection copies what was created since the last one. A one-field
 * {@code LinkedHashMap} behind unmodifiable views is six objects and ~230 bytes; this is two objects
 * and ~40. Lookups scan the array (keys are usually the parser's canonical strings, so identity
 * hits first); a change makes a new map ({@link #with}, {@link #without}), which also lets a copy of
 * an item share its fields.
 *
 * <p>Immutable and thread-safe. Never holds null keys or values.
 */
final class ItemFields extends AbstractMap<String, Object> {
    static final ItemFields EMPTY = new ItemFields(new Object[0]);

    private final Object[] kv;

    private ItemFields(Object[] kv) {
        this.kv = kv;
    }

    /** The non-null entries of {@code m}, in its iteration order. */
    static ItemFields of(Map<?, ?> m) {
        if (m instanceof ItemFields f) return f;
        Object[] kv = new Object[m.size() * 2];
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() == null) continue;
            kv[n++] = Objects.requireNonNull((String) e.getKey(), "field name");
            kv[n++] = e.getValue();
        }
        if (n == 0) return EMPTY;
        return new ItemFields(n == kv.length ? kv : Arrays.copyOf(kv, n));
    }

    /** This map with {@code key} set to {@code value} (in place if present, else last); null removes. */
    ItemFields with(String key, Object value) {
        if (value == null) return without(key);
        int i = indexOf(key);
        Object[] next;
        if (i >= 0) {
            if (kv[i + 1].equals(value)) return this;
            next = kv.clone();
        } else {
            next = Arrays.copyOf(kv, kv.length + 2);
            i = kv.length;
            next[i] = key;
        }
        next[i + 1] = value;
        return new ItemFields(next);
    }

    /** This map without {@code key}. */
    ItemFields without(Object key) {
        int i = indexOf(key);
        if (i < 0) return this;
        if (kv.length == 2) return EMPTY;
        Object[] next = new Object[kv.length - 2];
        System.arraycopy(kv, 0, next, 0, i);
        System.arraycopy(kv, i + 2, next, i, kv.length - i - 2);
        return new ItemFields(next);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i] == key) return i;
        }
        if (key == null) return -1;
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i].equals(key)) return i;
        }
        return -1;
    }

    @Override
    public int size() {
        return kv.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return kv.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : kv[i + 1];
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < kv.length; i += 2) action.accept((String) kv[i], kv[i + 1]);
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return kv.length / 2;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < kv.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (i >= kv.length) throw new NoSuchElementException();
                        Map.Entry<String, Object> e = new SimpleImmutableEntry<>((String) kv[i], kv[i + 1]);
                        i += 2;
                        return e;
                    }
                };
            }
        };
    }
}
