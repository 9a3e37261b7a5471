package org.linkboard.server.board;

import org.linkboard.api.ItemTypeSpec;

import java.util.Map;

/**
 * Who knows the item types: the built-ins ({@link BuiltInTypes}) and, once modules are loaded,
 * their {@code moduleId:typeId} types.
 *
 * <p>Implementations must be safe to call from any board actor's thread and fast (called for
 * every {@code create} and {@code set}); they must not block.
 */
public interface ItemTypes {

    /** The spec of a type ({@code lane}, {@code card}, {@code goal} or {@code moduleId:typeId}), or null when unknown. */
    ItemTypeSpec find(String type);

    /** The built-in types only: {@code lane}, {@code card}, {@code goal}. */
    static ItemTypes builtIn() {
        return BuiltInTypes.ALL;
    }

    /** The types of a fixed map from full type name to spec. */
    static ItemTypes of(Map<String, ItemTypeSpec> types) {
        Map<String, ItemTypeSpec> copy = Map.copyOf(types);
        return type -> type == null ? null : copy.get(type);
    }

    /** These types, and for names they do not know, {@code other}'s. */
    default ItemTypes orElse(ItemTypes other) {
        return type -> {
            ItemTypeSpec spec = find(type);
            return spec != null ? spec : other.find(type);
        };
    }
}
