package org.linkboard.server.board;

import org.linkboard.server.store.BoardRecord;

import java.util.Map;

/**
 * An operation that is durable: published in seq order per board, on the event bus address
 * {@link #ADDRESS} in an {@link AppliedOps} with the others of its commit (local delivery only,
 * not copied), or alone on {@link #REPLICATED_ADDRESS}. Linkage, module listeners, webhooks and
 * notifications subscribe; the core never calls them.
 *
 * @param changed every item the op changed, as a copy after the op; a null value for an item the op removed
 */
public record AppliedOp(BoardRecord board, long seq, Op op, String opJson, String by, String cid, long at,
                        Map<String, Item> changed) {

    /**
     * Ops this node sequenced and made durable, as {@link AppliedOps} (one per commit): in a
     * cluster, each op is published here on exactly one node (the one that appended it), so
     * reactions (module automation, rollup recomputation) run once per op cluster-wide.
     */
    public static final String ADDRESS = "linkboard.board.applied";

    /**
     * Cluster only: ops other nodes appended, once this node's replica applied them, in seq order.
     * For per-node in-memory views that must follow every op; not for reactions (they would run
     * once per node). When a node starts following a board (it loads it on the first op announced
     * for it), one event with a null {@code op} carries every item at the loaded version in
     * {@code changed}: upsert them.
     */
    public static final String REPLICATED_ADDRESS = "linkboard.board.replicated";
}
