package org.linkboard.server.plugins;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Vert.x JSON types and the plain {@code Map}/{@code List} values of the plugin
 * API, which must stay free of Vert.x (plugins cannot even load Vert.x classes).
 */
public final class PlainJson {

    private PlainJson() {
    }

    /** A deep copy of a JSON value with every JsonObject/JsonArray turned into Map/List. */
    public static Object plain(Object v) {
        if (v instanceof JsonObject o) return plainObject(o);
        if (v instanceof JsonArray a) {
            List<Object> l = new ArrayList<>(a.size());
            for (Object x : a) l.add(plain(x));
            return l;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> plainObject(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) out.put(e.getKey(), plain(e.getValue()));
        return out;
    }

    /** A Vert.x JSON value for encoding (Map → JsonObject, List → JsonArray, deep). */
    @SuppressWarnings("unchecked")
    public static Object vertx(Object v) {
        if (v instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            m.forEach((k, x) -> o.put(String.valueOf(k), vertx(x)));
            return o;
        }
        if (v instanceof List<?> l) {
            JsonArray a = new JsonArray();
            l.forEach(x -> a.add(vertx(x)));
            return a;
        }
        return v;
    }

    public static JsonObject vertxObject(Map<String, ?> m) {
        return (JsonObject) vertx(m);
    }
}
