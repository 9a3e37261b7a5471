package org.linkboard.server.plugins;

import org.linkboard.api.ItemTypeSpec;
import org.linkboard.server.board.ItemTypes;

/**
 * The item types the board engine validates against: the built-in ones ({@code lane},
 * {@code card}, {@code goal}) and {@code moduleId:typeId} of every loaded module. Lookups are
 * lock-free reads of the host's type index, safe on any board actor's event loop.
 *
 * <p>Module types are answered for started and stopped modules alike, so items of a stopped module
 * stay valid and readable; whether a change to them is allowed is the gate's decision
 * ({@link ModuleOpGate}: MODULE_DISABLED), not an "unknown type".
 */
public final class ModuleItemTypes implements ItemTypes {

    private final ModuleHost host;
    private final ItemTypes builtIn;

    /** {@code builtIn}: usually {@link ItemTypes#builtIn()}. */
    public ModuleItemTypes(ModuleHost host, ItemTypes builtIn) {
        this.host = host;
        this.builtIn = builtIn;
    }

    @Override
    public ItemTypeSpec find(String type) {
        if (ModuleHost.moduleOf(type) != null) return host.itemType(type);
        return builtIn.find(type);
    }
}
