package org.linkboard.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, null-tolerant immutable copies of plain JSON values, so the views handed to modules cannot
 * be changed under the server (or by one module under another). {@code Map.copyOf} would reject
 * JSON nulls, which lists may legally hold.
 */
final class JsonValues {

    private JsonValues() {
    }

    static Map<String, Object> freezeObject(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, freeze(v)));
        return Collections.unmodifiableMap(copy);
    }

    static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(String.valueOf(k), freeze(x)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(x -> copy.add(freeze(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
