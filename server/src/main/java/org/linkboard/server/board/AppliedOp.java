package org.linkboard.server.board;

import org.linkboard.server.store.BoardRecord;

import java.util.Map;

/**
 * An operation that is durable: published once per op, in seq order per board, on the event bus
 * address {@link #ADDRESS} (local delivery only, the object is not copied). Linkage, module
 * listeners, webhooks and metrics subscribe; the core never calls them.
 *
 * @param changed every item the op changed, as a copy after the op; a null value for an item the op removed
 */
public record AppliedOp(BoardRecord board, long seq, Op op, String opJson, String by, String cid, long at,
                        Map<String, Item> changed) {

    /**
     * Ops this node sequenced and made durable: in a cluster, each op is published here on exactly
     * one node (the one that appended it), so reactions (module automation, rollup recomputation)
     * run once per op cluster-wide.
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
