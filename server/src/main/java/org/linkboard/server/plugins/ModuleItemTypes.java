package org.linkboard.server.plugins;

import org.linkboard.api.ItemTypeSpec;

import java.util.function.Function;

/**
 * The item types the board engine validates against: the built-in ones ({@code lane},
 * {@code card}, {@code goal}) and {@code moduleId:typeId} of every loaded module. Lookups are
 * lock-free reads of the host's type index, safe on the board actor's event loop.
 *
 * <p>Module types are answered for started and stopped modules alike, so items of a stopped module
 * stay valid and readable; whether a change to them is allowed is the gate's decision
 * (MODULE_DISABLED), not an "unknown type".
 */
public final class ModuleItemTypes {

    private final ModuleHost host;
    private final Function<String, ItemTypeSpec> builtIn;

    /** {@code builtIn} answers the built-in types (e.g. {@code ItemTypes.builtIn()::find}). */
    public ModuleItemTypes(ModuleHost host, Function<String, ItemTypeSpec> builtIn) {
        this.host = host;
        this.builtIn = builtIn;
    }

    /** The spec of a type, or null when unknown. */
    public ItemTypeSpec find(String type) {
        if (ModuleHost.moduleOf(type) != null) return host.itemType(type);
        return builtIn.apply(type);
    }
}
