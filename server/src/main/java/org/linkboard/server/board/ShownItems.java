package org.linkboard.server.board;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A board's items as readers are shown them: as stored, plus what a {@link SnapshotDecorator} derives
 * for the few items it decorates. Only those items become maps; the rest are written straight from
 * the items, so a join of a million-card board does not build a million maps (each young collection
 * copied them while the encode ran, and the encode once ran on the board's event loop).
 *
 * <p>Static functions of detached items ({@link BoardState#detachedItems}), for a worker thread.
 */
final class ShownItems {

    private ShownItems() {
    }

    /** The items' JSON object, UTF-8, decorated. */
    static byte[] json(String boardId, List<Item> detached, SnapshotDecorator decorator) {
        return BoardState.itemsJson(detached, decorated(boardId, detached, decorator));
    }

    /** The items' object as maps ({@link BoardState#itemsToMap(java.util.Collection)}), decorated. */
    static Map<String, Object> maps(String boardId, List<Item> detached, SnapshotDecorator decorator) {
        Map<String, Object> items = BoardState.itemsToMap(detached);
        items.putAll(decorated(boardId, detached, decorator));
        return items;
    }

    /** The maps of the items the decorator picks, by id, after it decorated them. */
    private static Map<String, Object> decorated(String boardId, List<Item> detached, SnapshotDecorator decorator) {
        Map<String, Object> picked = new LinkedHashMap<>();
        for (Item i : detached) {
            if (decorator.decorates(boardId, i)) picked.put(i.id(), i.toMap());
        }
        if (!picked.isEmpty()) decorator.decorate(boardId, picked);
        return picked;
    }
}
