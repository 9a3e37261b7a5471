package org.linkboard.api;

import java.util.Set;

/**
 * Who made an operation or a request: the user's id, display name, unit and roles
 * ({@code admin}, {@code unit-admin}, {@code editor}, {@code viewer}). Module automation acts as
 * the user {@link #SYSTEM_ID}. Immutable.
 */
public record UserView(String id, String name, String unit, Set<String> roles) {

    /** The id of the system user under which {@link ModuleContext#submit} follow-ups are made. */
    public static final String SYSTEM_ID = "system";

    public UserView {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** Whether the user has that role. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the user is an {@code admin} (everything everywhere). */
    public boolean isAdmin() {
        return roles.contains("admin");
    }

    /** Whether this is module automation rather than a person. */
    public boolean isSystem() {
        return SYSTEM_ID.equals(id);
    }
}
