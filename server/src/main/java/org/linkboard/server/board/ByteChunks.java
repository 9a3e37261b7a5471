package org.linkboard.server.board;

/**
 * Byte runs appended into shared chunks, for {@link RecentOps} and {@link CidWindow}: a holder keeps
 * the chunk and offset of each run, and a chunk lives as long as a run in it is held. The first
 * chunk is small and each next one twice the last, up to a largest size, so a quiet board holds
 * little; a run larger than that gets a chunk of its own. Chunks are never reused, so the bytes of
 * a run do not change once written.
 *
 * <p>Not thread-safe: its holder's thread only.
 */
final class ByteChunks {

    private final int firstBytes;
    private final int maxBytes;
    private byte[] chunk = new byte[0];
    private int used;

    ByteChunks(int firstBytes, int maxBytes) {
        this.firstBytes = firstBytes;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends {@code first} and then {@code second} (null: nothing) side by side; their offset in
     * {@link #chunk()}, which holds them until the next append.
     */
    int append(byte[] first, byte[] second) {
        int length = first.length + (second == null ? 0 : second.length);
        if (chunk.length - used < length) {
            int next = Math.min(maxBytes, Math.max(firstBytes, chunk.length * 2));
            chunk = new byte[Math.max(next, length)];
            used = 0;
        }
        int offset = used;
        System.arraycopy(first, 0, chunk, offset, first.length);
        if (second != null) System.arraycopy(second, 0, chunk, offset + first.length, second.length);
        used += length;
        return offset;
    }

    /** The chunk the last run went into. */
    byte[] chunk() {
        return chunk;
    }
}
