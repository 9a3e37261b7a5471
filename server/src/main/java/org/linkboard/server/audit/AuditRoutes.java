package org.linkboard.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.AuditQuery;
import org.linkboard.server.store.AuditRecord;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** {@code GET /api/audit?actor=&action=&since=&until=&limit=}: the audit log, newest first, for admins. */
public final class AuditRoutes {

    private final AuditLog audit;

    public AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    public void mount(Router api) {
        api.get("/audit").handler(Responses.async(200, this::query));
    }

    private Future<JsonObject> query(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (!p.isAdmin()) throw Errors.forbidden("only admins read the audit log");
        AuditQuery q = new AuditQuery(blankToNull(ctx.request().getParam("actor")), blankToNull(ctx.request().getParam("action")),
                instant(ctx, "since"), instant(ctx, "until"), (int) Requests.queryLong(ctx, "limit", 100, 1, 10_000));
        return audit.query(q).map(list -> {
            JsonArray out = new JsonArray();
            for (AuditRecord r : list) out.add(toJson(r));
            return new JsonObject().put("entries", out);
        });
    }

    public static JsonObject toJson(AuditRecord r) {
        JsonObject o = new JsonObject().put("id", r.id()).put("at", Instant.ofEpochMilli(r.at()).toString())
                .put("actor", r.actor()).put("actorName", r.actorName()).put("action", r.action()).put("target", r.target());
        if (r.detailsJson() != null) o.put("details", new JsonObject(r.detailsJson()));
        return o;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** An ISO-8601 instant or epoch milliseconds. */
    private static Long instant(RoutingContext ctx, String name) {
        String v = blankToNull(ctx.request().getParam(name));
        if (v == null) return null;
        try {
            return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, name + " must be an ISO-8601 instant or epoch milliseconds", Map.of("field", name));
        }
    }
}
