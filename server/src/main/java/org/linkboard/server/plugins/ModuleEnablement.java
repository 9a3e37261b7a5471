package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.Store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which modules each unit has switched on (CONTRACT §6): a unit's own setting (on or off) wins; a
 * unit without one inherits its parent's; the root without one has every module off.
 *
 * <p>The explicit settings live in the {@link Store}; this class keeps a copy in memory so that
 * {@link #isEnabled} is a few map lookups on the hot path of every module operation. Writes go to
 * the store first and then to the copy. In cluster mode another node's writes reach this copy on
 * {@link #reload()}; the server calls it periodically and when a node announces a change.
 *
 * <p>Thread-safe: reads from any thread, lock-free.
 */
public final class ModuleEnablement {

    private final Store store;
    private final UnitDirectory units;
    private volatile Map<String, Map<String, Boolean>> explicit = new ConcurrentHashMap<>();

    public ModuleEnablement(Store store, UnitDirectory units) {
        this.store = store;
        this.units = units;
    }

    /** Reads every unit's explicit settings from the store, replacing the in-memory copy. */
    public Future<Void> reload() {
        return store.moduleEnablement().map(all -> {
            Map<String, Map<String, Boolean>> copy = new ConcurrentHashMap<>();
            all.forEach((unit, mods) -> copy.put(unit, new ConcurrentHashMap<>(mods)));
            explicit = copy;
            return null;
        });
    }

    /** Whether {@code moduleId} is on for {@code unitId}, by the inheritance rule. False for an unknown unit. */
    public boolean isEnabled(String unitId, String moduleId) {
        Map<String, Map<String, Boolean>> ex = explicit;
        for (String u : units.selfAndAncestors(unitId)) {
            Map<String, Boolean> own = ex.get(u);
            Boolean b = own == null ? null : own.get(moduleId);
            if (b != null) return b;
        }
        return false;
    }

    /** The unit's own setting: true, false, or null when it inherits. */
    public Boolean explicitSetting(String unitId, String moduleId) {
        Map<String, Boolean> own = explicit.get(unitId);
        return own == null ? null : own.get(moduleId);
    }

    /**
     * Sets a unit's own setting ({@code null}: remove it, inherit again). Completes once the store
     * has it; the in-memory copy is updated then.
     */
    public Future<Void> set(String unitId, String moduleId, Boolean enabled) {
        return store.setModuleEnabled(unitId, moduleId, enabled).map(v -> {
            Map<String, Boolean> own = explicit.computeIfAbsent(unitId, k -> new ConcurrentHashMap<>());
            if (enabled == null) own.remove(moduleId);
            else own.put(moduleId, enabled);
            return null;
        });
    }
}
