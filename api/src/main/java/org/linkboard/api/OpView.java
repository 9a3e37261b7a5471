package org.linkboard.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A read-only view of one operation (CONTRACT §4) as a module sees it. Values are plain JSON
 * values. Components that the operation's kind does not use are null ({@code fields} is empty).
 * The server creates these; a module reads them. Immutable.
 *
 * @param kind   what the operation does
 * @param itemId the id of the item it creates or changes
 * @param type   the type of that item: from the op for {@code create}, else the item's current type
 * @param field  {@code set}: the field written
 * @param value  {@code set}: the new value, null to remove the field
 * @param fields {@code create}: the initial fields; empty otherwise
 * @param parent {@code create}/{@code move}: the new parent, null for the top level
 * @param pos    {@code create}/{@code move}: the position, possibly null before the server assigns it
 * @param to     {@code link}/{@code unlink}: the far end
 */
public record OpView(Kind kind, String itemId, String type, String field, Object value,
                     Map<String, Object> fields, String parent, String pos, LinkRef to) {

    /** The operation kinds, named as in JSON ({@code "create"}, {@code "set"}, …). */
    public enum Kind {
        CREATE, SET, MOVE, DELETE, LINK, UNLINK;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code "create"}, {@code "set"}, …; throws {@link IllegalArgumentException} if unknown. */
        public static Kind fromJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public OpView {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(itemId, "itemId");
        value = JsonValues.freeze(value);
        fields = fields == null ? Map.of() : JsonValues.freezeObject(fields);
    }

    /** A {@code create} of an item of {@code type}. The factories are for tests and the server. */
    public static OpView create(String itemId, String type, String parent, String pos, Map<String, Object> fields) {
        return new OpView(Kind.CREATE, itemId, type, null, null, fields, parent, pos, null);
    }

    /** A {@code set} of one field on an item of {@code type}; {@code value} null removes it. */
    public static OpView set(String itemId, String type, String field, Object value) {
        return new OpView(Kind.SET, itemId, type, field, value, null, null, null, null);
    }

    /** A {@code move} of an item of {@code type}. */
    public static OpView move(String itemId, String type, String parent, String pos) {
        return new OpView(Kind.MOVE, itemId, type, null, null, null, parent, pos, null);
    }

    /** A {@code delete} of an item of {@code type} (and everything under it). */
    public static OpView delete(String itemId, String type) {
        return new OpView(Kind.DELETE, itemId, type, null, null, null, null, null, null);
    }

    /** A {@code link} of an item of {@code type} to {@code to}. */
    public static OpView link(String itemId, String type, LinkRef to) {
        return new OpView(Kind.LINK, itemId, type, null, null, null, null, null, to);
    }

    /** An {@code unlink} of an item of {@code type} from {@code to}. */
    public static OpView unlink(String itemId, String type, LinkRef to) {
        return new OpView(Kind.UNLINK, itemId, type, null, null, null, null, null, to);
    }

    /** Whether this op is of kind {@code k}. */
    public boolean is(Kind k) {
        return kind == k;
    }

    /** Whether this is a {@code set} of {@code fieldName}. */
    public boolean sets(String fieldName) {
        return kind == Kind.SET && fieldName.equals(field);
    }

    /**
     * The value this operation gives {@code fieldName}: for {@code create} the initial value, for a
     * {@code set} of that field the new value; null otherwise.
     */
    public Object valueOf(String fieldName) {
        if (kind == Kind.CREATE) return fields.get(fieldName);
        if (sets(fieldName)) return value;
        return null;
    }

    /** The JSON op object of CONTRACT §4 ({@code type} only for {@code create}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.jsonName());
        m.put("id", itemId);
        switch (kind) {
            case CREATE -> {
                m.put("type", type);
                if (parent != null) m.put("parent", parent);
                if (pos != null) m.put("pos", pos);
                m.put("fields", fields);
            }
            case SET -> {
                m.put("field", field);
                m.put("value", value);
            }
            case MOVE -> {
                m.put("parent", parent);
                if (pos != null) m.put("pos", pos);
            }
            case LINK, UNLINK -> m.put("to", to == null ? null : to.toMap());
            case DELETE -> { }
        }
        return m;
    }
}
