package org.linkboard.server.board;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The cids of a board's latest ops, each with its op's seq, to answer an op sent again as a
 * duplicate: the newest {@code capacity} keys, the oldest dropped first. Putting a key already held
 * changes its seq, not its place.
 *
 * <p>Packed like {@link RecentOps}: the keys' UTF-8 in shared chunks ({@link ByteChunks}), their seqs and hashes in the
 * parallel arrays of a ring, and an open-addressing table of ring slots (linear probing, deletion
 * by backward shift). Why: as a {@code LinkedHashMap<String, Long>} every op left four objects
 * here for 16 384 ops, which every young collection under load copied until they were promoted.
 *
 * <p>Not thread-safe: the board actor's context only.
 */
final class CidWindow {

    /** What {@link #seqOf} answers for a key not held; seqs start at 1. */
    static final long ABSENT = -1;
    /** The ring's first length when its first key comes (none before: a board without ops holds nothing). */
    private static final int FIRST_CAPACITY = 16;
    private static final int MIN_CAPACITY = 64;

    private final int capacity;
    private long[] seqs = new long[0];
    private int[] hashes = new int[0];
    private byte[][] chunks = new byte[0][];
    private int[] offsets = new int[0];
    private int[] lengths = new int[0];
    private int head;
    private int size;
    /** Ring slot + 1 of each key, 0 where empty; twice the ring's length, so at most half full. */
    private int[] table = new int[0];

    private final ByteChunks keys = new ByteChunks(1024, 64 * 1024);

    /** @param capacity how many keys to keep, a power of two of at least 64 */
    CidWindow(int capacity) {
        if (capacity < MIN_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= " + MIN_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
    }

    int size() {
        return size;
    }

    /** The seq put last with {@code key}, or {@link #ABSENT}. */
    long seqOf(String key) {
        if (size == 0) return ABSENT;
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int at = find(bytes, hash(bytes));
        return at < 0 ? ABSENT : seqs[table[at] - 1];
    }

    void put(String key, long seq) {
        if (table.length == 0) resize(FIRST_CAPACITY);
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int hash = hash(bytes);
        int at = find(bytes, hash);
        if (at >= 0) {
            seqs[table[at] - 1] = seq;
            return;
        }
        if (size == capacity) {
            removeOldest();
        } else if (size == seqs.length) {
            resize(seqs.length * 2);
        }
        int slot = (head + size) & (seqs.length - 1);
        offsets[slot] = keys.append(bytes, null);
        chunks[slot] = keys.chunk();
        seqs[slot] = seq;
        hashes[slot] = hash;
        lengths[slot] = bytes.length;
        size++;
        // The key is not held, so probing from its home reaches an empty entry.
        table[-1 - find(bytes, hash)] = slot + 1;
    }

    /** The table index holding the key, or {@code -1 - index} of the empty entry where probing stopped. */
    private int find(byte[] key, int hash) {
        int mask = table.length - 1;
        for (int i = home(hash, mask); ; i = (i + 1) & mask) {
            int ref = table[i];
            if (ref == 0) return -1 - i;
            int slot = ref - 1;
            if (hashes[slot] == hash && Arrays.equals(chunks[slot], offsets[slot], offsets[slot] + lengths[slot], key, 0, key.length)) {
                return i;
            }
        }
    }

    private void removeOldest() {
        int mask = table.length - 1;
        int i = home(hashes[head], mask);
        while (table[i] != head + 1) i = (i + 1) & mask;
        // Backward shift: move up each later entry of the run that would no longer be reachable.
        for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int h = home(hashes[table[j] - 1], mask);
            boolean reachable = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (!reachable) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = 0;
        chunks[head] = null;
        head = (head + 1) & (seqs.length - 1);
        size--;
    }

    /** Moves the ring into arrays of {@code length}, the oldest key at 0, and indexes it again. */
    private void resize(int length) {
        long[] newSeqs = new long[length];
        int[] newHashes = new int[length];
        byte[][] newChunks = new byte[length][];
        int[] newOffsets = new int[length];
        int[] newLengths = new int[length];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (seqs.length - 1);
            newSeqs[i] = seqs[from];
            newHashes[i] = hashes[from];
            newChunks[i] = chunks[from];
            newOffsets[i] = offsets[from];
            newLengths[i] = lengths[from];
        }
        seqs = newSeqs;
        hashes = newHashes;
        chunks = newChunks;
        offsets = newOffsets;
        lengths = newLengths;
        head = 0;
        table = new int[length * 2];
        int mask = table.length - 1;
        for (int slot = 0; slot < size; slot++) {
            int i = home(hashes[slot], mask);
            while (table[i] != 0) i = (i + 1) & mask;
            table[i] = slot + 1;
        }
    }

    private static int hash(byte[] key) {
        return Arrays.hashCode(key);
    }

    /** The top bits of the hash times the golden ratio (Fibonacci hashing): cids that differ in a last digit spread out. */
    private static int home(int hash, int mask) {
        return (hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask);
    }
}
