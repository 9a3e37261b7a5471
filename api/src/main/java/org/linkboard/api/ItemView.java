package org.linkboard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only copy of one item of a board (CONTRACT §4). Field values are plain JSON values:
 * {@code String}, {@code Number}, {@code Boolean}, {@code List}, {@code Map} (never null; a removed
 * field is absent). The server creates these; a module only reads them. Immutable and safe to keep.
 *
 * @param id     the item's id
 * @param type   built-in {@code lane}, {@code card}, {@code goal}, or {@code moduleId:typeId}
 * @param parent the containing item's id, or null at the top level
 * @param pos    the fractional-index position among its siblings
 * @param fields the field values
 * @param links  the goals this item contributes to
 */
public record ItemView(String id, String type, String parent, String pos, Map<String, Object> fields,
                       List<LinkRef> links) {

    public ItemView {
        fields = fields == null ? Map.of() : JsonValues.freezeObject(fields);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A field's value, or null when absent. */
    public Object field(String name) {
        return fields.get(name);
    }

    /** The current workflow stage (the field {@code stage}), or null for types without stages. */
    public String stage() {
        Object s = fields.get("stage");
        return s instanceof String str ? str : null;
    }

    /** Whether this item is of {@code typeId} of module {@code moduleId}. */
    public boolean isOfType(String moduleId, String typeId) {
        return type != null && type.equals(moduleId + ":" + typeId);
    }

    /** The JSON shape of CONTRACT §4 (without {@code rollup}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        m.put("parent", parent);
        m.put("pos", pos);
        m.put("fields", fields);
        List<Object> ls = new ArrayList<>();
        links.forEach(l -> ls.add(l.toMap()));
        m.put("links", ls);
        return m;
    }
}
