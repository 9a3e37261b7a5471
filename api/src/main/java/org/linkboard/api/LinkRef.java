package org.linkboard.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The far end of a link: an item on a board (CONTRACT §4, {@code {"board","item"}}). Immutable.
 */
public record LinkRef(String board, String item) {

    public LinkRef {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(item, "item");
    }

    /** The JSON shape {@code {"board","item"}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("board", board);
        m.put("item", item);
        return m;
    }
}
