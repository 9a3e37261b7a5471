package org.linkboard.server.board;

import org.linkboard.server.store.LoggedOp;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A board's recent durable ops, oldest first, kept to answer {@code join … since} without the store.
 *
 * <p>Each op's JSON and cid are packed as UTF-8 into shared chunks ({@link ByteChunks}) of up to 256 KiB, and its seq, time,
 * author and place in a chunk into parallel arrays of a ring, so an op held here is no object of
 * its own. Why: a busy board keeps 10 000 ops here for tens of seconds, and as a {@link LoggedOp}
 * with two strings each they were a third of what every young collection copied (S1,
 * docs/performance.md); a chunk is copied as one array.
 *
 * <p>Not thread-safe: the board actor's context only. The lists {@link #after} returns are
 * immutable and may be read on any thread (a worker encodes big catch-ups): chunks are only ever
 * appended to, never reused, so the bytes a list points at do not change.
 */
final class RecentOps {

    /** The largest chunk (see {@link ByteChunks}). */
    static final int CHUNK_BYTES = 256 * 1024;
    /** The ring's first length when its first op comes (none before: a board without ops holds nothing); powers of two, so that a slot is a mask away. */
    private static final int FIRST_CAPACITY = 16;
    /** A ring grown past this (joins pinned many ops) shrinks again once three quarters are free. */
    private static final int SHRINK_ABOVE = 16_384;

    private long[] seqs = new long[0];
    private long[] ats = new long[0];
    private String[] bys = new String[0];
    private byte[][] chunks = new byte[0][];
    private int[] offsets = new int[0];
    private int[] opLengths = new int[0];
    /** -1 for an op without a cid. */
    private int[] cidLengths = new int[0];
    private int head;
    private int size;

    private final ByteChunks bytes = new ByteChunks(4 * 1024, CHUNK_BYTES);

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The oldest op's seq; only when not empty. */
    long oldestSeq() {
        if (size == 0) throw new IllegalStateException("no recent ops");
        return seqs[head];
    }

    /** The newest op's seq; only when not empty. */
    long newestSeq() {
        if (size == 0) throw new IllegalStateException("no recent ops");
        return seqs[slot(size - 1)];
    }

    /** Appends an op newer than every op held. */
    void add(LoggedOp op) {
        if (size > 0 && op.seq() <= newestSeq()) {
            throw new IllegalArgumentException("op " + op.seq() + " is not after " + newestSeq());
        }
        byte[] json = op.opJson().getBytes(StandardCharsets.UTF_8);
        byte[] cid = op.cid() == null ? null : op.cid().getBytes(StandardCharsets.UTF_8);
        int offset = bytes.append(json, cid);
        if (size == seqs.length) resize(Math.max(FIRST_CAPACITY, seqs.length * 2));
        int at = slot(size);
        seqs[at] = op.seq();
        ats[at] = op.at();
        bys[at] = op.by();
        chunks[at] = bytes.chunk();
        offsets[at] = offset;
        opLengths[at] = json.length;
        cidLengths[at] = cid == null ? -1 : cid.length;
        size++;
    }

    /** Drops the oldest op; only when not empty. */
    void removeOldest() {
        if (size == 0) throw new IllegalStateException("no recent ops");
        bys[head] = null;
        chunks[head] = null;
        head = (head + 1) & (seqs.length - 1);
        size--;
        if (seqs.length > SHRINK_ABOVE && size < seqs.length / 4) resize(seqs.length / 2);
    }

    /** The ops after {@code version}, oldest first: a copy of their place here, decoded when read. */
    List<LoggedOp> after(long version) {
        int first = size;
        while (first > 0 && seqs[slot(first - 1)] > version) first--;
        int count = size - first;
        Ops ops = new Ops(count);
        for (int i = 0; i < count; i++) {
            int from = slot(first + i);
            ops.seqs[i] = seqs[from];
            ops.ats[i] = ats[from];
            ops.bys[i] = bys[from];
            ops.chunks[i] = chunks[from];
            ops.offsets[i] = offsets[from];
            ops.opLengths[i] = opLengths[from];
            ops.cidLengths[i] = cidLengths[from];
        }
        return ops;
    }

    private int slot(int index) {
        return (head + index) & (seqs.length - 1);
    }

    /** Moves the ring into arrays of {@code capacity}, unrolled so that the oldest op sits at 0. */
    private void resize(int capacity) {
        int old = seqs.length;
        seqs = unroll(seqs, new long[capacity], old);
        ats = unroll(ats, new long[capacity], old);
        bys = unroll(bys, new String[capacity], old);
        chunks = unroll(chunks, new byte[capacity][], old);
        offsets = unroll(offsets, new int[capacity], old);
        opLengths = unroll(opLengths, new int[capacity], old);
        cidLengths = unroll(cidLengths, new int[capacity], old);
        head = 0;
    }

    private <A> A unroll(A from, A to, int oldCapacity) {
        int tail = oldCapacity - head;
        System.arraycopy(from, head, to, 0, Math.min(tail, size));
        if (size > tail) System.arraycopy(from, 0, to, tail, size - tail);
        return to;
    }

    /** An immutable run of ops, each decoded into a {@link LoggedOp} when read. */
    private static final class Ops extends AbstractList<LoggedOp> implements RandomAccess {
        private final long[] seqs;
        private final long[] ats;
        private final String[] bys;
        private final byte[][] chunks;
        private final int[] offsets;
        private final int[] opLengths;
        private final int[] cidLengths;

        Ops(int count) {
            seqs = new long[count];
            ats = new long[count];
            bys = new String[count];
            chunks = new byte[count][];
            offsets = new int[count];
            opLengths = new int[count];
            cidLengths = new int[count];
        }

        @Override
        public LoggedOp get(int index) {
            int offset = offsets[index];
            int opLength = opLengths[index];
            String json = new String(chunks[index], offset, opLength, StandardCharsets.UTF_8);
            String cid = cidLengths[index] < 0 ? null
                    : new String(chunks[index], offset + opLength, cidLengths[index], StandardCharsets.UTF_8);
            return new LoggedOp(seqs[index], json, bys[index], cid, ats[index]);
        }

        @Override
        public int size() {
            return seqs.length;
        }

        @Override
        public String toString() {
            return "RecentOps.Ops" + Arrays.toString(seqs);
        }
    }
}
