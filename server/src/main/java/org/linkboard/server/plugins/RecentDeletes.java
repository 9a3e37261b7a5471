package org.linkboard.server.plugins;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The types of module items whose deletion the gate has just accepted, until the applied event
 * arrives: an {@code AppliedOp} of a delete carries the removed item as null, but the listener
 * must know which module to tell. Bounded (oldest entries go first), since an accepted op may
 * still fail to become durable and then never produce its event. Thread-safe.
 */
public final class RecentDeletes {

    private static final int LIMIT = 10_000;

    private final Map<String, String> types = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > LIMIT;
        }
    };

    synchronized void remember(String boardId, String itemId, String type) {
        if (type != null) types.put(boardId + "\n" + itemId, type);
    }

    /** The remembered type, forgetting it; null when unknown. */
    synchronized String take(String boardId, String itemId) {
        return types.remove(boardId + "\n" + itemId);
    }
}
