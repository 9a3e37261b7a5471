package org.linkboard.api;

import java.util.Collection;
import java.util.List;

/**
 * A read-only view of a board's items at one version. Given to {@link LinkboardModule#validate}
 * (the state the operation would apply to) and returned by {@link ModuleContext#board}.
 *
 * <p>Threading: in a validate hook the view is only valid during the call: read what you need,
 * do not keep it. A view from {@link ModuleContext#board} is a detached copy and may be kept and
 * read from any thread. Every method is fast (in-memory) and never blocks.
 */
public interface BoardView {

    /** The board's id. */
    String boardId();

    /** The id of the unit that owns the board. */
    String unit();

    /** The seq of the last operation applied to this view (0 for a new board). */
    long version();

    /** The item with that id, or null. */
    ItemView item(String id);

    /** Every item, in no particular order. */
    Collection<ItemView> items();

    /** The items whose parent is {@code parentId} ({@code null}: top level), ordered by pos then id. */
    List<ItemView> children(String parentId);
}
