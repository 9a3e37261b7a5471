package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Adds derived members to items as they are shown to readers (GET snapshot, WebSocket
 * {@code joined}), e.g. the {@code rollup} of goals. Never applied to stored snapshots nor to the
 * {@link BoardState}: derived data is not part of the deterministic board, so replay stays pure.
 *
 * <p>Called on the board actor's context with the detached {@code items} map of
 * {@link BoardState#itemsToMap()} (id → item map), which it may change in place. Must be fast and
 * must not block; it must not throw (a failure would fail the join or the snapshot read).
 */
@FunctionalInterface
public interface SnapshotDecorator {

    SnapshotDecorator NONE = (boardId, items) -> { };

    void decorate(String boardId, Map<String, Object> items);

    /**
     * Completes once the derived data takes in every op that was durable when it was called (the
     * decorator follows applied ops a moment behind). A one-shot read (GET snapshot) waits for it,
     * so a client reads its own writes; joins do not, because later changes are pushed to them.
     */
    default Future<Void> settled() {
        return Future.succeededFuture();
    }

    /**
     * Messages for a session that rejoined with {@code since} (ops form), sent right after its
     * {@code joined}: what it may have missed while away (the current {@code rollup} of each goal).
     * Called on the board actor's context; must be fast.
     */
    default List<JsonObject> catchUp(String boardId) {
        return List.of();
    }
}
