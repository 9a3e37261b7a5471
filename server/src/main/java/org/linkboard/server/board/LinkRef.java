package org.linkboard.server.board;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target of a link: an item on a board (CONTRACT §4, {@code {"board","item"}}). Immutable.
 * Members are not checked here (an op may carry anything); {@link OpValidator} checks them.
 */
public record LinkRef(String board, String item) {

    /** The JSON shape {@code {"board","item"}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("board", board);
        m.put("item", item);
        return m;
    }
}
