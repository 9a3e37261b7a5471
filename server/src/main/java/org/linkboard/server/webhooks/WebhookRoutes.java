package org.linkboard.server.webhooks;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.server.Errors;
import org.linkboard.server.audit.AuditLog;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.WebhookRecord;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST/GET /api/webhooks}, {@code GET/DELETE /api/webhooks/{id}},
 * {@code POST /api/webhooks/{id}/replay?since=N}, {@code GET /api/webhooks/{id}/deliveries}.
 * Admins manage every hook; unit-admins the hooks of boards in their subtree. The secret is shown
 * once, in the answer to the creation.
 */
public final class WebhookRoutes {

    private final Store store;
    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final WebhookDispatcher dispatcher;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public WebhookRoutes(Store store, BoardRegistry boards, AccessPolicy access, WebhookDispatcher dispatcher, AuditLog audit) {
        this.store = store;
        this.boards = boards;
        this.access = access;
        this.dispatcher = dispatcher;
        this.audit = audit;
    }

    public void mount(Router api) {
        api.post("/webhooks").handler(Responses.async(201, this::create));
        api.get("/webhooks").handler(Responses.async(200, this::list));
        api.get("/webhooks/:id").handler(Responses.async(200, ctx -> managed(ctx).map(h -> json(h, false))));
        api.delete("/webhooks/:id").handler(Responses.async(204, this::delete));
        api.post("/webhooks/:id/replay").handler(Responses.async(202, this::replay));
        api.get("/webhooks/:id/deliveries").handler(Responses.async(200, ctx -> managed(ctx)
                .compose(h -> dispatcher.deliveries(h.id())).map(d -> new JsonObject().put("deliveries", d))));
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        String url = Requests.requiredString(body, "url");
        String boardId = Requests.requiredString(body, "board");
        String secret = Requests.optionalString(body, "secret");
        List<String> events = body.containsKey("events") ? Requests.requiredStrings(body, "events") : List.of(WebhookEvents.OP);
        if (!p.isAdmin() && !p.hasRole(Principal.UNIT_ADMIN)) throw Errors.forbidden("only admins and unit admins manage webhooks");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Requests.invalid("url", "not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw Requests.invalid("url", "a webhook URL is an absolute http or https URL");
        }
        if (events.isEmpty()) throw Requests.invalid("events", "subscribe to at least one event type");
        for (String e : events) {
            if (!WebhookEvents.ALL.contains(e)) throw Requests.invalid("events", "unknown event type '" + e + "'; known: " + WebhookEvents.ALL);
        }
        if (secret != null && secret.length() < 16) throw Requests.invalid("secret", "a secret has at least 16 characters");
        String finalSecret = secret != null ? secret : HexFormat.of().formatHex(bytes(32));
        return store.getBoard(boardId).compose(b -> {
            if (b == null || b.archived() || !access.canRead(p, b.unit())) return Future.failedFuture(Errors.notFound("board " + boardId + " not found"));
            if (!access.canManage(p, b.unit())) return Future.failedFuture(Errors.forbidden("you may not manage webhooks of unit " + b.unit()));
            long from = boards.liveVersion(b);
            WebhookRecord hook = new WebhookRecord("wh-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                    url, finalSecret, b.id(), new ArrayList<>(new java.util.LinkedHashSet<>(events)), p.userId(), System.currentTimeMillis(), from);
            return dispatcher.create(hook)
                    .compose(h -> audit.record(p, "webhook.create", h.id(), new JsonObject().put("board", b.id()).put("url", url)
                            .put("events", new JsonArray(h.events()))).map(v -> json(h, true)));
        });
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Future<JsonArray> list(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (!p.isAdmin() && !p.hasRole(Principal.UNIT_ADMIN)) return Future.failedFuture(Errors.forbidden("only admins and unit admins manage webhooks"));
        return dispatcher.list().compose(hooks -> store.listBoards(true).map(all -> {
            java.util.Map<String, String> unitOf = new java.util.HashMap<>();
            for (BoardRecord b : all) unitOf.put(b.id(), b.unit());
            JsonArray out = new JsonArray();
            for (WebhookRecord h : hooks) {
                String unit = unitOf.get(h.board());
                if (p.isAdmin() || (unit != null && access.canManage(p, unit))) out.add(json(h, false));
            }
            return out;
        }));
    }

    /** The hook if the caller manages it; NOT_FOUND otherwise. */
    private Future<WebhookRecord> managed(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        return dispatcher.get(id).compose(h -> {
            if (h == null) return Future.failedFuture(Errors.notFound("webhook " + id + " not found"));
            if (p.isAdmin()) return Future.succeededFuture(h);
            return store.getBoard(h.board()).compose(b -> b != null && access.canManage(p, b.unit())
                    ? Future.succeededFuture(h) : Future.failedFuture(Errors.notFound("webhook " + id + " not found")));
        });
    }

    private Future<Void> delete(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        return managed(ctx).compose(h -> dispatcher.delete(h.id())
                .compose(x -> audit.record(p, "webhook.delete", h.id(), new JsonObject().put("board", h.board()))));
    }

    private Future<JsonObject> replay(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        long since = Requests.queryLong(ctx, "since", 0, 0, Long.MAX_VALUE);
        return managed(ctx).compose(h -> dispatcher.replay(h.id(), since)
                .compose(x -> audit.record(p, "webhook.replay", h.id(), new JsonObject().put("since", since)))
                .map(x -> new JsonObject().put("id", h.id()).put("replayFrom", since)));
    }

    private static JsonObject json(WebhookRecord h, boolean withSecret) {
        JsonObject o = new JsonObject().put("id", h.id()).put("url", h.url()).put("board", h.board())
                .put("events", new JsonArray(h.events())).put("cursor", h.cursor()).put("createdBy", h.createdBy())
                .put("createdAt", Instant.ofEpochMilli(h.createdAt()).toString());
        if (withSecret) o.put("secret", h.secret());
        return o;
    }
}
