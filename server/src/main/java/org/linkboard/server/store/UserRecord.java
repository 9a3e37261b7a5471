package org.linkboard.server.store;

import java.util.List;

/**
 * A user as stored. {@code passwordHash} is the encoded salted slow hash (never the password);
 * it never leaves the server.
 */
public record UserRecord(String id, String username, String name, String unit, List<String> roles,
                         String passwordHash, long createdAt) {

    public UserRecord {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
