package org.linkboard.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.PasswordHasher;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Units and users (CONTRACT §3): {@code /api/units}, {@code /api/users}. */
public final class DirectoryRoutes {

    static final Set<String> UNIT_KINDS = Set.of("department", "office", "college");
    static final Set<String> ROLES = Set.of(Principal.ADMIN, Principal.UNIT_ADMIN, Principal.EDITOR, Principal.VIEWER);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MIN_PASSWORD = 4;

    private final Vertx vertx;
    private final Store store;
    private final UnitDirectory units;
    private final UserDirectory users;
    private final AccessPolicy access;
    private final PasswordHasher hasher;
    private final Consumer<String> onUserDeleted;

    public DirectoryRoutes(Vertx vertx, Store store, UnitDirectory units, UserDirectory users, AccessPolicy access,
                           PasswordHasher hasher, Consumer<String> onUserDeleted) {
        this.vertx = vertx;
        this.store = store;
        this.units = units;
        this.users = users;
        this.access = access;
        this.hasher = hasher;
        this.onUserDeleted = onUserDeleted;
    }

    public void mount(Router api) {
        api.get("/units").handler(ctx -> {
            JsonArray out = new JsonArray();
            units.all().stream().sorted(Comparator.comparing(UnitRecord::id)).forEach(u -> out.add(Json.unit(u)));
            Responses.json(ctx, 200, out);
        });
        api.post("/units").handler(Responses.async(201, this::createUnit));
        api.get("/users").handler(ctx -> {
            Principal p = Requests.principal(ctx);
            if (!p.isAdmin() && !p.hasRole(Principal.UNIT_ADMIN)) throw Errors.forbidden("only admins and unit admins list users");
            JsonArray out = new JsonArray();
            users.all().stream().filter(u -> access.canManage(p, u.unit()))
                    .sorted(Comparator.comparing(UserRecord::username)).forEach(u -> out.add(Json.user(u)));
            Responses.json(ctx, 200, out);
        });
        api.post("/users").handler(Responses.async(201, this::createUser));
        api.delete("/users/:id").handler(Responses.async(204, this::deleteUser));
    }

    /**
     * Admins only. The tree cannot get a cycle: the parent must exist before the child, the id must
     * be new, and units are never re-parented (there is no move endpoint), so every parent chain
     * ends at the root.
     */
    private Future<JsonObject> createUnit(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (!p.isAdmin()) throw Errors.forbidden("only admins create units");
        JsonObject body = Requests.body(ctx);
        String id = Requests.requiredString(body, "id");
        String name = Requests.requiredString(body, "name");
        String kind = Requests.requiredString(body, "kind");
        String parent = Requests.optionalString(body, "parent");
        if (!Requests.ID.matcher(id).matches()) throw Requests.invalid("id", "a unit id is 1–64 characters of A–Z, a–z, 0–9, _ and -");
        if (name.isBlank() || name.length() > 200) throw Requests.invalid("name", "a unit name is 1–200 characters");
        if (!UNIT_KINDS.contains(kind)) throw Requests.invalid("kind", "kind must be department, office or college");
        if (parent == null) throw Requests.invalid("parent", "a unit needs a parent (the root exists already)");
        if (!units.exists(parent)) throw Requests.invalid("parent", "unknown parent unit '" + parent + "'");
        if (units.exists(id)) throw new LinkboardException(ErrorCode.CONFLICT, "unit '" + id + "' exists");
        return store.createUnit(new UnitRecord(id, name.strip(), kind, parent)).map(u -> {
            units.put(u);
            return Json.unit(u);
        });
    }

    private Future<JsonObject> createUser(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        String username = Requests.requiredString(body, "username");
        String password = Requests.requiredString(body, "password");
        String name = Requests.requiredString(body, "name");
        String unit = Requests.requiredString(body, "unit");
        List<String> roles = Requests.requiredStrings(body, "roles");
        if (!USERNAME.matcher(username).matches()) throw Requests.invalid("username", "a username is 1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-'");
        if (password.length() < MIN_PASSWORD || password.length() > 1024) throw Requests.invalid("password", "a password has at least " + MIN_PASSWORD + " characters");
        if (name.isBlank() || name.length() > 200) throw Requests.invalid("name", "a name is 1–200 characters");
        if (!units.exists(unit)) throw Requests.invalid("unit", "unknown unit '" + unit + "'");
        if (roles.isEmpty()) throw Requests.invalid("roles", "a user needs at least one role");
        for (String r : roles) {
            if (!ROLES.contains(r)) throw Requests.invalid("roles", "unknown role '" + r + "'");
        }
        if (!access.canManage(p, unit)) throw Errors.forbidden("you may not manage users of unit " + unit);
        if (roles.contains(Principal.ADMIN) && !p.isAdmin()) throw Errors.forbidden("only admins grant the admin role");
        String id = "u-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<String> distinctRoles = List.copyOf(new HashSet<>(roles)).stream().sorted().toList();
        return vertx.executeBlocking(() -> hasher.hash(password))
                .compose(hash -> store.createUser(new UserRecord(id, username, name.strip(), unit, distinctRoles, hash, System.currentTimeMillis())))
                .map(u -> {
                    users.put(u);
                    return Json.user(u);
                });
    }

    private Future<Void> deleteUser(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        if (!p.isAdmin() && !p.hasRole(Principal.UNIT_ADMIN)) throw Errors.forbidden("only admins and unit admins delete users");
        UserRecord u = users.get(id);
        if (u == null || !access.canManage(p, u.unit())) throw Errors.notFound("user " + id + " not found");
        if (u.id().equals(p.userId())) throw new LinkboardException(ErrorCode.CONFLICT, "you cannot delete yourself");
        if (u.hasRole(Principal.ADMIN) && !p.isAdmin()) throw Errors.forbidden("only admins delete admins");
        return store.deleteUser(id).map(deleted -> {
            users.remove(id);
            onUserDeleted.accept(id);
            return null;
        });
    }
}
