package org.linkboard.server.board;

import io.vertx.core.Future;
import org.linkboard.server.auth.Principal;

/**
 * Submits an operation to a board as if a client had sent it: same validation, sequencing and
 * durability. Used by module automation (as {@link Principal#SYSTEM}) and the REST op endpoint.
 * Completes with the op's seq once durable; fails with a {@code LinkboardException}.
 */
public interface OpSubmitter {
    Future<Long> submit(String boardId, Op op, Principal as, String cid);
}
