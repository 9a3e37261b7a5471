package org.linkboard.server.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;

/**
 * Rebuilds a board as it was at any version: the newest stored snapshot at or before it (the
 * embedded store keeps the newest two per board) plus a replay of the log up to that version, or
 * a replay from 0 when no such snapshot is left. Replay applies the logged, completed ops with
 * {@link BoardState#apply}, which is deterministic, so the result equals what every replica had
 * at that version. Cost: proportional to the ops replayed; fine for boards of up to some 100 000
 * ops. Threading: call from any context; completes on the caller's.
 */
public final class BoardHistory {

    private static final int PAGE = 5_000;

    private final Store store;

    public BoardHistory(Store store) {
        this.store = store;
    }

    public Future<BoardState> stateAt(String boardId, long version) {
        return store.snapshotAtOrBefore(boardId, version).compose(snap -> {
            BoardState state = snap == null ? new BoardState(boardId)
                    : BoardState.fromSnapshot(boardId, snap.version(), new JsonObject(snap.itemsJson()).getMap());
            return replay(state, version).map(v -> state);
        });
    }

    private Future<Void> replay(BoardState state, long upTo) {
        if (state.version() >= upTo) return Future.succeededFuture();
        int limit = (int) Math.min(PAGE, upTo - state.version());
        return store.readOps(state.boardId(), state.version(), limit).compose(ops -> {
            for (LoggedOp op : ops) {
                if (op.seq() > upTo) return Future.succeededFuture();
                state.apply(OpCodec.decode(new JsonObject(op.opJson())), op.seq());
            }
            return ops.size() < limit ? Future.succeededFuture() : replay(state, upTo);
        });
    }
}
