package org.linkboard.bench.client;

/**
 * The client op id ({@code cid}) the generator sends, carrying what a receiver needs to measure and
 * check the op without any shared state: the measurement phase, the sending client, the sender's
 * running op number and the intended send time.
 *
 * <p>Form: {@code phase.client.n.intendedNanos}. {@code intendedNanos} is {@link System#nanoTime()}
 * of the generator process (all clients live in it, so sender and receiver share the clock); it is
 * the time the op was <em>scheduled</em>, not the time it left, so a late sender shows up as
 * latency instead of silently lowering the rate (no coordinated omission). Unique per client as
 * CONTRACT §4 requires, because {@code n} only grows.
 *
 * @param phase         index of the measurement phase the op was sent in (see {@code PhaseBook})
 * @param client        generator-wide index of the sending client
 * @param n             the sender's op number, 1, 2, 3, … with no gaps
 * @param intendedNanos scheduled send time
 */
public record OpCid(int phase, int client, long n, long intendedNanos) {

    public String encode() {
        return phase + "." + client + "." + n + "." + intendedNanos;
    }

    /**
     * Parses a cid made by {@link #encode()}.
     *
     * @throws IllegalArgumentException for any other string
     */
    public static OpCid decode(String cid) {
        int a = cid.indexOf('.');
        int b = cid.indexOf('.', a + 1);
        int c = cid.indexOf('.', b + 1);
        if (a <= 0 || b <= a + 1 || c <= b + 1 || c == cid.length() - 1) {
            throw new IllegalArgumentException("not a bench cid: " + cid);
        }
        try {
            return new OpCid(Integer.parseInt(cid, 0, a, 10), Integer.parseInt(cid, a + 1, b, 10),
                    Long.parseLong(cid, b + 1, c, 10), Long.parseLong(cid, c + 1, cid.length(), 10));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a bench cid: " + cid, e);
        }
    }
}
