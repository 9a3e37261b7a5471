package org.linkboard.server.auth;

import java.util.Set;

/**
 * Who is acting: an authenticated user, or the {@link #SYSTEM} user under which module listeners
 * submit follow-up operations. Immutable.
 */
public record Principal(String userId, String username, String name, String unit, Set<String> roles) {

    public static final String ADMIN = "admin";
    public static final String UNIT_ADMIN = "unit-admin";
    public static final String EDITOR = "editor";
    public static final String VIEWER = "viewer";

    /** Key under which the HTTP layer keeps the caller's principal in a RoutingContext. */
    public static final String CONTEXT_KEY = "linkboard.principal";

    /** The user module automation acts as: may write every board, is never notified. */
    public static final Principal SYSTEM = new Principal("system", "system", "Linkboard", "university", Set.of(ADMIN));

    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    public boolean isSystem() {
        return this == SYSTEM || "system".equals(userId);
    }
}
