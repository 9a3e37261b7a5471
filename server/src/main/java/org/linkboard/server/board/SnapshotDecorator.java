package org.linkboard.server.board;

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
}
