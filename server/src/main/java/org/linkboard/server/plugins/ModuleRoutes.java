package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.UserView;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP endpoints of modules (CONTRACT §6 and the admin plugin API). Two mounts:
 *
 * <ul>
 * <li>{@link #mountAssets} — {@code GET /api/modules/:moduleId/assets/*}, public (browsers import
 *     ES modules without an Authorization header). Mount it before the auth handler.</li>
 * <li>{@link #mount} — everything else; needs the caller's {@link Principal} in the routing context
 *     under {@link Principal#CONTEXT_KEY} (set by the auth handler in front). Failures go to
 *     {@code ctx.fail(LinkboardException)} for the server's one failure handler.</li>
 * </ul>
 *
 * <p>Handlers run on the event loop and never block: everything slow is in {@link ModuleHost}
 * futures.
 */
public final class ModuleRoutes {

    /** Body limit of module routes and settings (CONTRACT §2 default). */
    static final long JSON_BODY_LIMIT = 1024 * 1024;

    private final ModuleHost host;
    private final UnitDirectory units;

    private ModuleRoutes(ModuleHost host, UnitDirectory units) {
        this.host = host;
        this.units = units;
    }

    /**
     * Mounts the public asset route {@code base + /modules/:moduleId/assets/*}; {@code base} is
     * {@code "/api"} on the root router (the usual place: before the auth handler).
     */
    public static void mountAssets(Router router, String base, ModuleHost host) {
        router.get(base + "/modules/:moduleId/assets/*").handler(ctx -> {
            String moduleId = ctx.pathParam("moduleId");
            String rest = rest(ctx, "/modules/" + moduleId + "/assets/");
            host.asset(moduleId, rest).onSuccess(buf -> ctx.response()
                            .putHeader("Content-Type", contentType(rest))
                            .putHeader("Cache-Control", "no-cache")
                            .putHeader("X-Content-Type-Options", "nosniff")
                            .end(buf))
                    .onFailure(ctx::fail);
        });
    }

    /**
     * Mounts the authenticated module, enablement, settings and plugin administration routes under
     * {@code base}: {@code "/api"} on a root router, {@code ""} on a router mounted at
     * {@code /api/*}. The caller's {@link Principal} must already be in the context.
     */
    public static void mount(Router router, String base, ModuleHost host, UnitDirectory units) {
        ModuleRoutes r = new ModuleRoutes(host, units);
        Handler<RoutingContext> jsonBody = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
        Handler<RoutingContext> fileBody = BodyHandler.create(false).setBodyLimit(host.options().maxUploadBytes());

        router.get(base + "/modules").handler(r::listModules);
        router.get(base + "/units/:unit/modules").handler(r::unitModules);
        router.put(base + "/units/:unit/modules/:moduleId").handler(ctx -> r.setEnabled(ctx, true));
        router.delete(base + "/units/:unit/modules/:moduleId").handler(ctx -> r.setEnabled(ctx, false));
        router.get(base + "/units/:unit/modules/:moduleId/settings").handler(r::getSettings);
        router.put(base + "/units/:unit/modules/:moduleId/settings").handler(jsonBody).handler(r::putSettings);

        router.post(base + "/admin/plugins").handler(fileBody).handler(r::install);
        router.post(base + "/admin/plugins/:moduleId/start").handler(ctx -> r.adminAction(ctx, host::startModule));
        router.post(base + "/admin/plugins/:moduleId/stop").handler(ctx -> r.adminAction(ctx, host::stopModule));
        router.delete(base + "/admin/plugins/:moduleId").handler(r::unload);

        router.route(base + "/modules/:moduleId/*").handler(jsonBody).handler(r::moduleRoute);
    }

    // ---- handlers -------------------------------------------------------------------------------

    private void listModules(RoutingContext ctx) {
        if (principal(ctx) == null) return;
        sendJson(ctx, 200, PlainJson.vertx(host.describe()));
    }

    private void unitModules(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null) return;
        String unit = ctx.pathParam("unit");
        if (!canRead(p, unit)) {
            ctx.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no unit " + unit));
            return;
        }
        JsonArray out = new JsonArray();
        for (InstalledModule m : host.modules()) {
            out.add(new JsonObject()
                    .put("id", m.id())
                    .put("enabled", host.enablement().isEnabled(unit, m.id()))
                    .put("own", host.enablement().explicitSetting(unit, m.id())));
        }
        sendJson(ctx, 200, out);
    }

    private void setEnabled(RoutingContext ctx, boolean enable) {
        Principal p = principal(ctx);
        if (p == null) return;
        String unit = ctx.pathParam("unit");
        String moduleId = ctx.pathParam("moduleId");
        if (!checkManage(ctx, p, unit) || !checkModule(ctx, moduleId)) return;
        // DELETE ?inherit=true removes the unit's own setting instead of switching the module off.
        Boolean value = enable ? Boolean.TRUE : ("true".equals(ctx.queryParams().get("inherit")) ? null : Boolean.FALSE);
        host.enablement().set(unit, moduleId, value)
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private void getSettings(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null) return;
        String unit = ctx.pathParam("unit");
        String moduleId = ctx.pathParam("moduleId");
        if (!canRead(p, unit)) {
            ctx.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no unit " + unit));
            return;
        }
        if (!checkModule(ctx, moduleId)) return;
        InstalledModule m = host.module(moduleId);
        Future.all(host.settings().own(unit, moduleId), host.settings().effective(unit, moduleId))
                .onSuccess(all -> {
                    Map<String, Object> own = all.resultAt(0);
                    Map<String, Object> effective = all.resultAt(1);
                    List<Object> schema = new ArrayList<>();
                    m.settingsSchema().forEach(f -> schema.add(f.toMap()));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("unit", unit);
                    body.put("module", moduleId);
                    body.put("settings", effective);
                    body.put("own", own);
                    body.put("schema", schema);
                    sendJson(ctx, 200, PlainJson.vertx(body));
                })
                .onFailure(ctx::fail);
    }

    private void putSettings(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null) return;
        String unit = ctx.pathParam("unit");
        String moduleId = ctx.pathParam("moduleId");
        if (!checkManage(ctx, p, unit) || !checkModule(ctx, moduleId)) return;
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            ctx.fail(new LinkboardException(ErrorCode.BAD_REQUEST, "the body must be a JSON object"));
            return;
        }
        if (body == null) {
            ctx.fail(new LinkboardException(ErrorCode.BAD_REQUEST, "the body must be a JSON object"));
            return;
        }
        host.settings().save(unit, moduleId, host.module(moduleId).settingsSchema(), PlainJson.plainObject(body))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private void install(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null || !checkAdmin(ctx, p)) return;
        boolean replace = "true".equals(ctx.queryParams().get("replace"));
        Buffer file = ctx.body().buffer();
        host.install(file, replace)
                .onSuccess(m -> sendJson(ctx, 201, PlainJson.vertx(m.describe())))
                .onFailure(ctx::fail);
    }

    private void unload(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null || !checkAdmin(ctx, p)) return;
        host.unload(ctx.pathParam("moduleId"))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail);
    }

    private void adminAction(RoutingContext ctx, java.util.function.Function<String, Future<InstalledModule>> action) {
        Principal p = principal(ctx);
        if (p == null || !checkAdmin(ctx, p)) return;
        action.apply(ctx.pathParam("moduleId"))
                .onSuccess(m -> sendJson(ctx, 200, PlainJson.vertx(m.describe())))
                .onFailure(ctx::fail);
    }

    private void moduleRoute(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null) return;
        String moduleId = ctx.pathParam("moduleId");
        String rest = rest(ctx, "/modules/" + moduleId + "/");
        if (rest.startsWith("assets/")) {
            ctx.next();
            return;
        }
        InstalledModule m = host.module(moduleId);
        if (m == null) {
            ctx.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no module " + moduleId));
            return;
        }
        if (!p.isAdmin() && !host.enablement().isEnabled(p.unit(), moduleId)) {
            ctx.fail(new LinkboardException(ErrorCode.MODULE_DISABLED,
                    "module " + moduleId + " is not enabled for unit " + p.unit(), Map.of("module", moduleId)));
            return;
        }
        Object body = null;
        if (ctx.body().available() && !ctx.body().isEmpty()) {
            try {
                body = PlainJson.plain(Json.decodeValue(ctx.body().buffer()));
            } catch (DecodeException e) {
                ctx.fail(new LinkboardException(ErrorCode.BAD_REQUEST, "the body must be JSON"));
                return;
            }
        }
        host.route(moduleId, ctx.request().method().name(), rest, query(ctx.queryParams()), body, user(p))
                .onSuccess(resp -> send(ctx, resp))
                .onFailure(ctx::fail);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The request path after {@code marker}, whatever router the route is mounted on. */
    private static String rest(RoutingContext ctx, String marker) {
        String path = ctx.normalizedPath();
        int i = path.indexOf(marker);
        return i < 0 ? "" : path.substring(i + marker.length());
    }

    private Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(Principal.CONTEXT_KEY);
        if (p == null) ctx.fail(new LinkboardException(ErrorCode.UNAUTHENTICATED, "authentication required"));
        return p;
    }

    private boolean checkAdmin(RoutingContext ctx, Principal p) {
        if (p.isAdmin()) return true;
        ctx.fail(new LinkboardException(ErrorCode.FORBIDDEN, "only administrators manage plugins"));
        return false;
    }

    /** Read scope of a unit (CONTRACT §3): its own chain, below and above; admins everything. */
    private boolean canRead(Principal p, String unit) {
        if (!units.exists(unit)) return false;
        if (p.isAdmin()) return true;
        return units.isSameOrBelow(unit, p.unit()) || units.isSameOrBelow(p.unit(), unit);
    }

    /** Admins anywhere; unit-admins in their unit's subtree. */
    private boolean checkManage(RoutingContext ctx, Principal p, String unit) {
        if (!units.exists(unit)) {
            ctx.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no unit " + unit));
            return false;
        }
        if (p.isAdmin() || (p.hasRole(Principal.UNIT_ADMIN) && units.isSameOrBelow(unit, p.unit()))) return true;
        ctx.fail(new LinkboardException(ErrorCode.FORBIDDEN, "only an administrator of this unit may change its modules"));
        return false;
    }

    private boolean checkModule(RoutingContext ctx, String moduleId) {
        if (host.module(moduleId) != null) return true;
        ctx.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no module " + moduleId));
        return false;
    }

    static UserView user(Principal p) {
        return new UserView(p.userId(), p.name(), p.unit(), p.roles());
    }

    private static Map<String, List<String>> query(MultiMap params) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (String name : params.names()) q.put(name, List.copyOf(params.getAll(name)));
        return q;
    }

    private static void sendJson(RoutingContext ctx, int status, Object json) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(encode(json));
    }

    private static String encode(Object json) {
        if (json instanceof JsonObject o) return o.encode();
        if (json instanceof JsonArray a) return a.encode();
        return Json.encode(json);
    }

    private static void send(RoutingContext ctx, RouteResponse resp) {
        HttpServerResponse r = ctx.response().setStatusCode(resp.status());
        resp.headers().forEach(r::putHeader);
        if (resp.isJson()) {
            r.putHeader("Content-Type", "application/json").end(encode(PlainJson.vertx(resp.json())));
        } else if (resp.bytes() != null) {
            r.putHeader("Content-Type", resp.contentType()).end(Buffer.buffer(resp.bytes()));
        } else {
            r.end();
        }
    }

    static String contentType(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".js") || p.endsWith(".mjs")) return "text/javascript; charset=utf-8";
        if (p.endsWith(".css")) return "text/css; charset=utf-8";
        if (p.endsWith(".json")) return "application/json";
        if (p.endsWith(".html")) return "text/html; charset=utf-8";
        if (p.endsWith(".svg")) return "image/svg+xml";
        if (p.endsWith(".png")) return "image/png";
        if (p.endsWith(".jpg") || p.endsWith(".jpeg")) return "image/jpeg";
        if (p.endsWith(".woff2")) return "font/woff2";
        return "application/octet-stream";
    }
}
