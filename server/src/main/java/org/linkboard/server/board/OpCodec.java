package org.linkboard.server.board;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON form of ops (the {@code op} object of CONTRACT §4) and of board snapshots.
 *
 * <p>{@link #decode} checks the <em>shape</em> only (JSON types, required members, id syntax);
 * whether the op is acceptable on a board is {@link OpValidator}'s question. Values come out in
 * canonical plain-Java form ({@link JsonValues}), never as {@code JsonObject}/{@code JsonArray}.
 * {@link #encode} is the exact inverse: {@code decode(encode(op)).equals(op)}. Stateless; safe
 * from any thread.
 */
public final class OpCodec {

    private OpCodec() {
    }

    /**
     * Parses an {@code op} object. Throws {@link LinkboardException}: {@code BAD_REQUEST} (with
     * details.field where one member is at fault) for a missing op, a missing {@code kind}, a
     * missing member or a member of the wrong JSON type; {@code VALIDATION_FAILED} with
     * details.field for an unknown {@code kind} or an id that is not 1–64 chars of
     * {@code [A-Za-z0-9_-]}. Members not listed for the kind are ignored.
     */
    public static Op decode(JsonObject json) {
        if (json == null) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing op object", Map.of("field", "op"));
        Object kindValue = json.getValue("kind");
        if (kindValue == null) throw badRequest("kind", "op needs a 'kind'");
        if (!(kindValue instanceof String kind)) throw badRequest("kind", "'kind' must be a string");
        String id = requiredString(json, "id");
        requireItemId(id, "id");
        switch (kind) {
            case "create" -> {
                String type = requiredString(json, "type");
                String parent = optionalString(json, "parent");
                if (parent != null) requireItemId(parent, "parent");
                String pos = optionalString(json, "pos");
                Object fieldsValue = json.getValue("fields");
                Map<String, Object> fields;
                if (fieldsValue == null) {
                    fields = Map.of();
                } else if (fieldsValue instanceof JsonObject fo) {
                    fields = plainObject(fo, "fields", 0);
                } else {
                    throw badRequest("fields", "'fields' must be an object");
                }
                return new Op.Create(id, type, parent, pos, canonical(fields, "fields"));
            }
            case "set" -> {
                String field = requiredString(json, "field");
                if (!json.containsKey("value")) throw badRequest("value", "set needs a 'value' (null removes the field)");
                Object value = plain(json.getValue("value"), "value", 0);
                return new Op.SetField(id, field, canonicalValue(value, "value"));
            }
            case "move" -> {
                String parent = optionalString(json, "parent");
                if (parent != null) requireItemId(parent, "parent");
                return new Op.Move(id, parent, optionalString(json, "pos"));
            }
            case "delete" -> {
                return new Op.Delete(id);
            }
            case "link" -> {
                return new Op.Link(id, linkRef(json));
            }
            case "unlink" -> {
                return new Op.Unlink(id, linkRef(json));
            }
            default -> throw LinkboardException.invalidField("kind",
                    "unknown op kind '" + kind + "'; expected create, set, move, delete, link or unlink");
        }
    }

    /** The JSON {@code op} object of {@code op}; null members are left out, except the {@code value} of a set. */
    public static JsonObject encode(Op op) {
        JsonObject json = new JsonObject(new LinkedHashMap<>(8));
        json.put("kind", op.kind());
        json.put("id", op.id());
        if (op instanceof Op.Create c) {
            putIfNotNull(json, "type", c.type());
            putIfNotNull(json, "parent", c.parent());
            putIfNotNull(json, "pos", c.pos());
            json.put("fields", new JsonObject(new LinkedHashMap<>(c.fields())));
        } else if (op instanceof Op.SetField s) {
            putIfNotNull(json, "field", s.field());
            json.put("value", s.value()); // null is meaningful: it removes the field
        } else if (op instanceof Op.Move m) {
            putIfNotNull(json, "parent", m.parent());
            putIfNotNull(json, "pos", m.pos());
        } else if (op instanceof Op.Link l) {
            if (l.to() != null) json.put("to", new JsonObject(l.to().toMap()));
        } else if (op instanceof Op.Unlink u) {
            if (u.to() != null) json.put("to", new JsonObject(u.to().toMap()));
        }
        return json;
    }

    /** The snapshot {@code items} object of a state, as JSON. */
    public static JsonObject encodeItems(BoardState state) {
        return new JsonObject(state.itemsToMap());
    }

    /**
     * The state of a stored snapshot: {@code items} is the snapshot's {@code items} object.
     * Throws {@link IllegalArgumentException} when it does not have the snapshot shape.
     */
    public static BoardState decodeSnapshot(String boardId, long version, JsonObject items) {
        Map<String, Object> plain = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : items.getMap().entrySet()) {
            plain.put(e.getKey(), toPlain(e.getValue(), 0));
        }
        return BoardState.fromSnapshot(boardId, version, plain);
    }

    /**
     * A Vert.x JSON value (possibly holding {@code JsonObject}/{@code JsonArray}) as plain Java
     * maps and lists; throws {@link IllegalArgumentException} for values that are not JSON.
     */
    public static Object toPlain(Object v) {
        return toPlain(v, 0);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Object toPlain(Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) return v;
        if (depth > JsonValues.MAX_DEPTH) throw new IllegalArgumentException("JSON nested too deeply");
        if (v instanceof JsonObject o) v = o.getMap();
        if (v instanceof JsonArray a) v = a.getList();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), toPlain(e.getValue(), depth + 1));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) out.add(toPlain(e, depth + 1));
            return out;
        }
        throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }

    private static Map<String, Object> plainObject(JsonObject o, String field, int depth) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) toPlain(o, depth);
            return m;
        } catch (IllegalArgumentException e) {
            throw badRequest(field, "'" + field + "': " + e.getMessage());
        }
    }

    private static Object plain(Object v, String field, int depth) {
        try {
            return toPlain(v, depth);
        } catch (IllegalArgumentException e) {
            throw badRequest(field, "'" + field + "': " + e.getMessage());
        }
    }

    private static Map<String, Object> canonical(Map<String, Object> m, String field) {
        try {
            return JsonValues.canonicalObject(m);
        } catch (IllegalArgumentException e) {
            throw badRequest(field, "'" + field + "': " + e.getMessage());
        }
    }

    private static Object canonicalValue(Object v, String field) {
        try {
            return JsonValues.canonical(v);
        } catch (IllegalArgumentException e) {
            throw badRequest(field, "'" + field + "': " + e.getMessage());
        }
    }

    private static LinkRef linkRef(JsonObject json) {
        Object to = json.getValue("to");
        if (to == null) throw badRequest("to", "link needs 'to': {\"board\",\"item\"}");
        if (!(to instanceof JsonObject t)) throw badRequest("to", "'to' must be an object {\"board\",\"item\"}");
        Object board = t.getValue("board");
        Object item = t.getValue("item");
        if (!(board instanceof String b) || !(item instanceof String i)) {
            throw badRequest("to", "'to' needs string members 'board' and 'item'");
        }
        requireItemId(i, "to");
        return new LinkRef(b, i);
    }

    private static String requiredString(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (v == null) throw badRequest(key, "op needs '" + key + "'");
        if (!(v instanceof String s)) throw badRequest(key, "'" + key + "' must be a string");
        return s;
    }

    private static String optionalString(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (v == null) return null;
        if (!(v instanceof String s)) throw badRequest(key, "'" + key + "' must be a string or null");
        return s;
    }

    private static void requireItemId(String id, String field) {
        if (!Identifiers.isItemId(id)) {
            throw LinkboardException.invalidField(field, "'" + field + "' must be 1–64 characters of A-Z a-z 0-9 _ -");
        }
    }

    private static void putIfNotNull(JsonObject json, String key, Object value) {
        if (value != null) json.put(key, value);
    }

    private static LinkboardException badRequest(String field, String message) {
        return new LinkboardException(ErrorCode.BAD_REQUEST, message, Map.of("field", field));
    }
}
