package org.linkboard.server.board;

import java.util.List;

/**
 * What {@link AppliedOp#ADDRESS} carries: the ops of one board that one commit made durable, in
 * seq order (local delivery only, not copied). One message per commit rather than per op, since
 * every message costs each listener a delivery and a hand-over to its context; at tens of
 * thousands of ops a second on one board that was a twentieth of the server's CPU.
 *
 * @param ops at least one, consecutive seqs of one board
 */
public record AppliedOps(List<AppliedOp> ops) implements Iterable<AppliedOp> {

    @Override
    public java.util.Iterator<AppliedOp> iterator() {
        return ops.iterator();
    }
}
