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

    public static final String ADDRESS = "linkboard.board.applied";
}
