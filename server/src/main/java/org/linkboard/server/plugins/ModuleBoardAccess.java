package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;

import java.util.Map;
import java.util.UUID;

/**
 * Boards as modules see them through their context: detached copies read on the board's actor,
 * and ops submitted as {@link Principal#SYSTEM} through the same path as a client's (validation,
 * gate, sequencing, durability). Each submit gets a fresh cid, so a module that retries after a
 * failure is not deduplicated against its earlier attempt.
 */
public final class ModuleBoardAccess implements BoardAccess {

    private final BoardRegistry boards;

    public ModuleBoardAccess(BoardRegistry boards) {
        this.boards = boards;
    }

    @Override
    public Future<BoardView> board(String boardId) {
        return boards.actor(boardId).compose(a -> {
            String unit = a.board().unit();
            return a.read(state -> BoardViews.detached(boardId, unit, state));
        });
    }

    @Override
    public Future<BoardView> boardFor(String boardId, org.linkboard.api.UserView reader) {
        Principal p = new Principal(reader.id(), reader.id(), reader.name(), reader.unit(), reader.roles());
        return boards.actor(boardId).compose(a -> {
            if (!p.isSystem() && !boards.access().canRead(p, a.board().unit())) {
                // Outside the reader's scope looks exactly like a board that does not exist.
                return Future.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "board " + boardId + " not found"));
            }
            String unit = a.board().unit();
            return a.read(state -> BoardViews.detached(boardId, unit, state));
        });
    }

    @Override
    public Future<Long> submit(String boardId, Map<String, Object> op, String moduleId) {
        Op decoded;
        try {
            if (op == null) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing op");
            decoded = OpCodec.decode(PlainJson.vertxObject(op));
        } catch (LinkboardException e) {
            return Future.failedFuture(e);
        } catch (RuntimeException e) {
            return Future.failedFuture(new LinkboardException(ErrorCode.BAD_REQUEST, "not an op: " + e.getMessage()));
        }
        return boards.submit(boardId, decoded, Principal.SYSTEM, "module:" + moduleId + ":" + UUID.randomUUID());
    }

}
