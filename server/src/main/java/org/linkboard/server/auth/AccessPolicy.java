package org.linkboard.server.auth;

/**
 * The read and write scopes of CONTRACT §3, decided from the unit tree.
 *
 * <ul>
 *   <li>read: boards of the user's unit, of every unit below it, and of every unit above it;</li>
 *   <li>write: boards of the user's unit and below, for {@code editor} and {@code unit-admin};</li>
 *   <li>manage (archive boards, users, modules): {@code unit-admin} for its unit and below;</li>
 *   <li>{@code admin} reads, writes and manages everything; {@code viewer} writes nothing.</li>
 * </ul>
 * Stateless apart from the directory; safe from any thread.
 */
public final class AccessPolicy {

    private final UnitDirectory units;

    public AccessPolicy(UnitDirectory units) {
        this.units = units;
    }

    public UnitDirectory units() {
        return units;
    }

    public boolean canRead(Principal p, String unit) {
        if (p.isAdmin()) return true;
        return units.isSameOrBelow(unit, p.unit()) || units.isSameOrBelow(p.unit(), unit);
    }

    public boolean canWrite(Principal p, String unit) {
        if (p.isAdmin()) return true;
        if (!p.hasRole(Principal.EDITOR) && !p.hasRole(Principal.UNIT_ADMIN)) return false;
        return units.isSameOrBelow(unit, p.unit());
    }

    public boolean canManage(Principal p, String unit) {
        if (p.isAdmin()) return true;
        return p.hasRole(Principal.UNIT_ADMIN) && units.isSameOrBelow(unit, p.unit());
    }
}
