package org.linkboard.server.audit;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.server.auth.Principal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits the admin routes that other packages serve (users, units, module settings, plugins,
 * board archive) from the outside: mounted on the {@code /api} router after authentication, it
 * watches for those method/path pairs and records an {@link AuditLog} entry when the answer is a
 * success (2xx). So those routes need no audit code, and a new admin route only needs a line in
 * {@link #RULES}. Runs on the event loop; never delays the request.
 */
public final class AuditTrail implements Handler<RoutingContext> {

    private record Rule(HttpMethod method, Pattern path, String action, boolean bodyDetails) {
    }

    private static final String SEG = "([^/]+)";
    private static final List<Rule> RULES = List.of(
            new Rule(HttpMethod.POST, Pattern.compile("/api/users/?"), "user.create", true),
            new Rule(HttpMethod.DELETE, Pattern.compile("/api/users/" + SEG), "user.delete", false),
            new Rule(HttpMethod.POST, Pattern.compile("/api/units/?"), "unit.create", true),
            new Rule(HttpMethod.PUT, Pattern.compile("/api/units/" + SEG + "/modules/" + SEG), "module.enable", false),
            new Rule(HttpMethod.DELETE, Pattern.compile("/api/units/" + SEG + "/modules/" + SEG), "module.disable", false),
            new Rule(HttpMethod.PUT, Pattern.compile("/api/units/" + SEG + "/modules/" + SEG + "/settings"), "module.settings", false),
            new Rule(HttpMethod.POST, Pattern.compile("/api/units/" + SEG + "/modules/" + SEG + "/settings"), "module.settings", false),
            new Rule(HttpMethod.POST, Pattern.compile("/api/(?:admin/)?plugins/?"), "plugin.install", false),
            new Rule(HttpMethod.POST, Pattern.compile("/api/(?:admin/)?plugins/" + SEG + "/(start|stop|unload|enable|disable|reload)"), "plugin.", false),
            new Rule(HttpMethod.DELETE, Pattern.compile("/api/(?:admin/)?plugins/" + SEG), "plugin.unload", false),
            new Rule(HttpMethod.DELETE, Pattern.compile("/api/boards/" + SEG), "board.archive", false));

    /** Body members copied into the details: never a password. */
    private static final List<String> SAFE_BODY_FIELDS = List.of("id", "username", "name", "unit", "roles", "kind", "parent");

    private final AuditLog audit;

    public AuditTrail(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET) {
            String path = ctx.request().path();
            for (Rule rule : RULES) {
                if (rule.method() != method) continue;
                Matcher m = rule.path().matcher(path);
                if (!m.matches()) continue;
                // Before the answer's headers go out: the entry is queued to the store before the
                // client can act again, so entries keep the order of the actions.
                ctx.addHeadersEndHandler(v -> onEnd(ctx, rule, m));
                break;
            }
        }
        ctx.next();
    }

    private void onEnd(RoutingContext ctx, Rule rule, Matcher m) {
        int status = ctx.response().getStatusCode();
        Principal who = ctx.get(Principal.CONTEXT_KEY);
        if (status < 200 || status >= 300 || who == null) return;
        String action = rule.action();
        String target = m.groupCount() >= 1 ? m.group(1) : null;
        if (action.endsWith(".")) {
            action = action + m.group(2);
        } else if (m.groupCount() >= 2) {
            target = m.group(1) + "/" + m.group(2);
        }
        JsonObject details = new JsonObject();
        if (rule.bodyDetails()) {
            try {
                JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
                if (body != null) {
                    for (String f : SAFE_BODY_FIELDS) {
                        if (body.containsKey(f)) details.put(f, body.getValue(f));
                    }
                    if (target == null) target = body.getString("username", body.getString("id"));
                }
            } catch (RuntimeException ignored) {
                // A body that is not JSON was refused by the route anyway.
            }
        }
        audit.record(who, action, target, details);
    }
}
