package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Adds derived members to items as they are shown to readers (GET snapshot, WebSocket
 * {@code joined}), e.g. the {@code rollup} of goals. Never applied to stored snapshots nor to the
 * {@link BoardState}: derived data is not part of the deterministic board, so replay stays pure.
 *
 * <p>{@link #decorate} is called on a worker thread with the detached maps ({@link Item#toMap})
 * of the items {@link #decorates(String, Item)} picked, by id, which it may change in place;
 * so it must be thread-safe with respect to its own state. Must not block for long; it must not
 * throw (a failure would fail the join or the snapshot read).
 */
@FunctionalInterface
public interface SnapshotDecorator {

    /** {@link #revision} of a decorator that cannot tell when its output changes: nothing is cached. */
    long UNCACHEABLE = Long.MIN_VALUE;

    SnapshotDecorator NONE = new SnapshotDecorator() {
        @Override
        public void decorate(String boardId, Map<String, Object> items) {
        }

        @Override
        public long revision(String boardId) {
            return 0;
        }

        @Override
        public boolean decorates(String boardId, Item item) {
            return false;
        }
    };

    void decorate(String boardId, Map<String, Object> items);

    /**
     * A number that changes whenever what {@link #decorate} adds to this board's items may change
     * while the board's version stays the same (a rollup moved because of another board), so an
     * encoded snapshot of the same version and revision can be served again. Any thread.
     * {@link #UNCACHEABLE} (the default) turns that reuse off.
     */
    default long revision(String boardId) {
        return UNCACHEABLE;
    }

    /**
     * Whether {@link #decorate} would add anything to this item. Items it says no to are encoded
     * straight from the board, without a map (a board of a million cards and a few goals builds a
     * few maps, not a million). Any thread; must be fast.
     */
    default boolean decorates(String boardId, Item item) {
        return true;
    }

    /**
     * Whether {@link #decorate} would add anything to any of these items; when not, the stored
     * snapshot of the same version is what readers are shown. Called on the board actor's context.
     */
    default boolean decorates(String boardId, Collection<Item> items) {
        for (Item i : items) {
            if (decorates(boardId, i)) return true;
        }
        return false;
    }

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
