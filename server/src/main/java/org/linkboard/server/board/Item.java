package org.linkboard.server.board;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One item of a board (CONTRACT §4): id, type, parent, pos, fields and links.
 *
 * <p>An item obtained from a {@link BoardState} is live: the state changes it in place when ops
 * are applied (no copy per op), so read it on the thread that owns the state and call
 * {@link #copy()} to keep a stable value. {@link #fields()} and {@link #links()} are immutable
 * values that an op replaces rather than changes, so one read stays stable; field values are
 * canonical immutable JSON values ({@link JsonValues}). Only {@link BoardState} mutates items.
 *
 * <p>Every item of every open board lives in memory, so an item is kept small: four strings, an
 * {@link ItemFields} and a shared empty list until it has links.
 */
public final class Item {

    private final String id;
    private final String type;
    String parent;
    String pos;
    private ItemFields fields;
    private List<LinkRef> links;

    /**
     * An item with the given members; {@code fields} must hold canonical values (null values are
     * left out), {@code links} no duplicates (both are copied, shallowly, unless immutable already).
     */
    Item(String id, String type, String parent, String pos, Map<String, Object> fields, List<LinkRef> links) {
        // A board holds few types and many items of each: one string per type, not per item.
        this(id, type == null ? null : type.intern(), parent, pos, ItemFields.of(fields), List.copyOf(links));
    }

    private Item(String id, String type, String parent, String pos, ItemFields fields, List<LinkRef> links) {
        this.id = id;
        this.type = type;
        this.parent = parent;
        this.pos = pos;
        this.fields = fields;
        this.links = links;
    }

    public String id() { return id; }
    public String type() { return type; }
    /** The containing item's id, or null at the top level. */
    public String parent() { return parent; }
    /** The position key among siblings ({@link FractionalIndex}). */
    public String pos() { return pos; }
    /** The fields now, immutable, in the order they were first set; never holds null values. */
    public Map<String, Object> fields() { return fields; }
    /** The links now, immutable, in the order they were made, without duplicates. */
    public List<LinkRef> links() { return links; }

    /** Sets (null: removes) one field; whether that changed the item. */
    boolean setField(String name, Object value) {
        ItemFields next = fields.with(name, value);
        if (next == fields) return false;
        fields = next;
        return true;
    }

    /** Adds a link the item does not have yet. */
    void addLink(LinkRef to) {
        LinkRef[] next = links.toArray(new LinkRef[links.size() + 1]);
        next[links.size()] = to;
        links = List.of(next);
    }

    /** Removes the links that match; whether there were any. */
    boolean removeLinks(Predicate<LinkRef> which) {
        if (links.stream().noneMatch(which)) return false;
        links = links.stream().filter(which.negate()).toList();
        return true;
    }

    /** A detached copy (fields, links and their values are immutable and shared). */
    public Item copy() {
        // One object: everything it refers to is immutable.
        return new Item(id, type, parent, pos, fields, links);
    }

    /** The JSON shape {@code {"id","type","parent","pos","fields":{},"links":[{"board","item"}]}}, detached from this item. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("id", id);
        m.put("type", type);
        m.put("parent", parent);
        m.put("pos", pos);
        m.put("fields", new LinkedHashMap<>(fields));
        List<Object> ls = new ArrayList<>(links.size());
        for (LinkRef l : links) ls.add(l.toMap());
        m.put("links", ls);
        return m;
    }

    /** Writes {@link #toMap()}'s JSON to {@code g}, without building the map (any thread). */
    void writeJson(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("type", type);
        g.writeFieldName("parent");
        if (parent == null) g.writeNull(); else g.writeString(parent);
        g.writeStringField("pos", pos);
        g.writeFieldName("fields");
        g.writeStartObject();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            g.writeFieldName(f.getKey());
            io.vertx.core.json.jackson.JacksonCodec.encodeJson(f.getValue(), g);
        }
        g.writeEndObject();
        g.writeFieldName("links");
        g.writeStartArray();
        for (LinkRef l : links) {
            g.writeStartObject();
            g.writeFieldName("board");
            if (l.board() == null) g.writeNull(); else g.writeString(l.board());
            g.writeFieldName("item");
            if (l.item() == null) g.writeNull(); else g.writeString(l.item());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The item of a {@link #toMap()} map (as read back from a snapshot). Throws
     * {@link IllegalArgumentException} when the map does not have that shape.
     */
    public static Item fromMap(Map<?, ?> m) {
        return fromMap(m, false);
    }

    /** {@link #fromMap} of a map whose values are canonical already ({@link JsonValues#read}). */
    static Item fromCanonicalMap(Map<?, ?> m) {
        return fromMap(m, true);
    }

    private static Item fromMap(Map<?, ?> m, boolean canonical) {
        String id = string(m, "id", true);
        String type = string(m, "type", true);
        String parent = string(m, "parent", false);
        String pos = string(m, "pos", true);
        Object fieldsValue = m.get("fields");
        Map<String, Object> fields = Map.of();
        if (fieldsValue instanceof Map<?, ?> fm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = canonical ? (Map<String, Object>) fm : JsonValues.canonicalObject(fm);
            fields = values;
        } else if (fieldsValue != null) {
            throw new IllegalArgumentException("item " + id + ": fields is not an object");
        }
        List<LinkRef> links = new ArrayList<>();
        Object linksValue = m.get("links");
        if (linksValue instanceof List<?> ll) {
            for (Object o : ll) {
                if (!(o instanceof Map<?, ?> lm)) throw new IllegalArgumentException("item " + id + ": bad link " + o);
                LinkRef ref = new LinkRef(string(lm, "board", true), string(lm, "item", true));
                if (!links.contains(ref)) links.add(ref);
            }
        } else if (linksValue != null) {
            throw new IllegalArgumentException("item " + id + ": links is not an array");
        }
        return new Item(id, type, parent, pos, fields, links);
    }

    private static String string(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null && !required) return null;
        if (!(v instanceof String s)) throw new IllegalArgumentException("item member '" + key + "' is not a string: " + v);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Item other
                && id.equals(other.id) && type.equals(other.type)
                && Objects.equals(parent, other.parent) && Objects.equals(pos, other.pos)
                && fields.equals(other.fields) && links.equals(other.links);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, parent, pos, fields, links);
    }

    @Override
    public String toString() {
        return "Item" + toMap();
    }
}
