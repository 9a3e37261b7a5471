package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.Map;

/**
 * How modules reach boards through their {@link org.linkboard.api.ModuleContext}: read a detached
 * view, submit an op as the system user. Implemented over the board engine by the adapter
 * (in the board adapter); the test kit has its own.
 *
 * <p>Called from module code on any thread; must not block; futures may complete on any thread.
 */
public interface BoardAccess {

    /** A detached, immutable copy of the board at its current version; NOT_FOUND when absent. */
    Future<BoardView> board(String boardId);

    /** The board if {@code reader} may read it (CONTRACT §3); NOT_FOUND when absent or outside that scope. */
    Future<BoardView> boardFor(String boardId, org.linkboard.api.UserView reader);

    /**
     * Submits a JSON op (CONTRACT §4) as the system user on behalf of {@code moduleId}; completes
     * with its seq once durable, or fails with the rejection.
     */
    Future<Long> submit(String boardId, Map<String, Object> op, String moduleId);

    /** Until the board engine is wired: every call fails with UNAVAILABLE. */
    BoardAccess UNAVAILABLE = new BoardAccess() {
        @Override
        public Future<BoardView> board(String boardId) {
            return Future.failedFuture(new LinkboardException(ErrorCode.UNAVAILABLE, "boards are not available to modules yet"));
        }

        @Override
        public Future<BoardView> boardFor(String boardId, org.linkboard.api.UserView reader) {
            return board(boardId);
        }

        @Override
        public Future<Long> submit(String boardId, Map<String, Object> op, String moduleId) {
            return Future.failedFuture(new LinkboardException(ErrorCode.UNAVAILABLE, "boards are not available to modules yet"));
        }
    };
}
