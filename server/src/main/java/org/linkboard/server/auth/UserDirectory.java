package org.linkboard.server.auth;

import org.linkboard.server.store.UserRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users held in memory so every request can check, without a store round trip, that its token's
 * user still exists (a deleted user's tokens stop working at once) and read its current roles.
 * Loaded from the store at start; kept current by the endpoints that change users. Thread-safe.
 */
public final class UserDirectory {

    private final Map<String, UserRecord> byId = new ConcurrentHashMap<>();

    public void put(UserRecord user) {
        byId.put(user.id(), user);
    }

    public void putAll(Collection<UserRecord> users) {
        users.forEach(this::put);
    }

    public void remove(String userId) {
        byId.remove(userId);
    }

    public UserRecord get(String userId) {
        return userId == null ? null : byId.get(userId);
    }

    public List<UserRecord> all() {
        return new ArrayList<>(byId.values());
    }

    public static Principal principalOf(UserRecord u) {
        return new Principal(u.id(), u.username(), u.name(), u.unit(), new java.util.HashSet<>(u.roles()));
    }
}
