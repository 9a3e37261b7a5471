package org.linkboard.server.board;

import io.vertx.core.Future;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.store.BoardRecord;

/**
 * What the board actor consults, after the built-in validation and before it sequences an op:
 * module enablement and module validation hooks.
 *
 * <p>Called on the board actor's context. {@link #concerns} must be fast and non-blocking: when it
 * answers false (built-in item types, no module hooks), the actor stays on its synchronous fast
 * path. {@link #check} completes on the caller's context, to accept, or fails with a
 * {@code LinkboardException} to reject; the state passed in must not be retained.
 */
public interface OpGate {

    /** A gate that never objects: core tests and servers without modules. */
    OpGate NONE = new OpGate() {
        @Override
        public boolean concerns(BoardRecord board, BoardState state, Op op) {
            return false;
        }

        @Override
        public Future<Void> check(BoardRecord board, BoardState state, Op op, Principal user) {
            return Future.succeededFuture();
        }
    };

    boolean concerns(BoardRecord board, BoardState state, Op op);

    Future<Void> check(BoardRecord board, BoardState state, Op op, Principal user);
}
