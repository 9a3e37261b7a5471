package org.linkboard.server.auth;

import org.linkboard.server.store.UnitRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unit tree held in memory, for scope and enablement decisions on hot paths. Loaded from the
 * store at start and updated by whoever creates units. Reads are lock-free and safe from any
 * thread; writes replace single entries atomically.
 */
public final class UnitDirectory {

    private final Map<String, UnitRecord> units = new ConcurrentHashMap<>();

    public void put(UnitRecord unit) {
        units.put(unit.id(), unit);
    }

    public void putAll(Collection<UnitRecord> all) {
        all.forEach(this::put);
    }

    public UnitRecord get(String id) {
        return id == null ? null : units.get(id);
    }

    public boolean exists(String id) {
        return id != null && units.containsKey(id);
    }

    public List<UnitRecord> all() {
        return new ArrayList<>(units.values());
    }

    /** The unit itself, then its parent, up to the root. Empty for an unknown unit. */
    public List<String> selfAndAncestors(String id) {
        List<String> chain = new ArrayList<>();
        String cur = id;
        // The bound guards against a corrupt store with a cycle; the tree is validated on writes.
        while (cur != null && units.containsKey(cur) && chain.size() <= units.size()) {
            chain.add(cur);
            cur = units.get(cur).parent();
        }
        return chain;
    }

    /** Whether {@code unit} is {@code ancestor} or lies below it. */
    public boolean isSameOrBelow(String unit, String ancestor) {
        if (unit == null || ancestor == null) return false;
        return selfAndAncestors(unit).contains(ancestor);
    }
}
