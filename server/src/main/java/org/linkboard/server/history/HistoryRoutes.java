package org.linkboard.server.history;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.audit.AuditLog;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.board.BoardActor;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Op;
import org.linkboard.server.http.Json;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.NamedVersion;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UserRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A board's past: the activity feed ({@code GET /api/boards/{id}/activity}), named versions
 * ({@code POST/GET /api/boards/{id}/versions}), the board at a version
 * ({@code GET /api/boards/{id}/snapshot?version=N}) and restore to a version as new ops
 * ({@code POST /api/boards/{id}/restore}). Reads need read scope, writes write scope.
 * Mount before the core board routes: the snapshot handler passes requests without
 * {@code version} on to them.
 */
public final class HistoryRoutes {

    private static final long MAX_ACTIVITY = 500;

    private final Store store;
    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final UserDirectory users;
    private final AuditLog audit;
    private final BoardHistory history;

    public HistoryRoutes(Store store, BoardRegistry boards, AccessPolicy access, UserDirectory users, AuditLog audit) {
        this.store = store;
        this.boards = boards;
        this.access = access;
        this.users = users;
        this.audit = audit;
        this.history = new BoardHistory(store);
    }

    public void mount(Router api) {
        api.get("/boards/:id/activity").handler(Responses.async(200, this::activity));
        api.post("/boards/:id/versions").handler(Responses.async(201, this::saveVersion));
        api.get("/boards/:id/versions").handler(Responses.async(200, this::versions));
        api.get("/boards/:id/snapshot").handler(ctx -> {
            if (ctx.request().getParam("version") == null) {
                ctx.next();
            } else {
                Responses.async(200, this::snapshotAt).handle(ctx);
            }
        });
        api.post("/boards/:id/restore").handler(Responses.async(200, this::restore));
    }

    private Future<BoardRecord> readable(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        return store.getBoard(id).compose(b -> b == null || b.archived() || !access.canRead(p, b.unit())
                ? Future.failedFuture(Errors.notFound("board " + id + " not found")) : Future.succeededFuture(b));
    }

    private Future<BoardRecord> writable(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        return readable(ctx).compose(b -> access.canWrite(p, b.unit()) ? Future.succeededFuture(b)
                : Future.failedFuture(Errors.forbidden("you may not edit boards of unit " + b.unit())));
    }

    private Future<JsonObject> activity(RoutingContext ctx) {
        int limit = (int) Requests.queryLong(ctx, "limit", 50, 1, MAX_ACTIVITY);
        long beforeParam = Requests.queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        return readable(ctx).compose(b -> boards.actor(b.id())).compose(actor -> {
            long version = actor.board().version();
            long before = Math.min(beforeParam, version + 1);
            long since = Math.max(0, before - 1 - limit);
            int count = (int) (before - 1 - since);
            return store.readOps(actor.boardId(), since, count).compose(ops -> actor.read(state -> {
                ActivityFeed feed = new ActivityFeed(Map.copyOf(state.items()), this::userName);
                JsonArray entries = new JsonArray(new ArrayList<>(feed.entries(ops)));
                return new JsonObject().put("entries", entries).put("next", since > 0 ? since + 1 : null);
            }));
        });
    }

    private String userName(String userId) {
        if ("system".equals(userId)) return "Linkboard";
        UserRecord u = users.get(userId);
        return u == null ? userId : u.name() == null || u.name().isBlank() ? u.username() : u.name();
    }

    private Future<JsonObject> saveVersion(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String name = Requests.requiredString(Requests.body(ctx), "name").strip();
        if (name.isEmpty() || name.length() > 200) throw Requests.invalid("name", "a version name is 1–200 characters");
        return writable(ctx).compose(b -> boards.actor(b.id())).compose(actor -> {
            NamedVersion v = new NamedVersion(actor.boardId(), name, actor.board().version(), p.userId(), System.currentTimeMillis());
            return store.saveNamedVersion(v).map(x -> versionJson(v));
        });
    }

    private Future<JsonObject> versions(RoutingContext ctx) {
        return readable(ctx).compose(b -> store.namedVersions(b.id())).map(list -> {
            JsonArray out = new JsonArray();
            list.forEach(v -> out.add(versionJson(v)));
            return new JsonObject().put("versions", out);
        });
    }

    private JsonObject versionJson(NamedVersion v) {
        return new JsonObject().put("board", v.board()).put("name", v.name()).put("version", v.version())
                .put("by", new JsonObject().put("id", v.by()).put("name", userName(v.by())))
                .put("at", Instant.ofEpochMilli(v.at()).toString());
    }

    private Future<JsonObject> snapshotAt(RoutingContext ctx) {
        long version = Requests.queryLong(ctx, "version", 0, 0, Long.MAX_VALUE);
        return readable(ctx).compose(b -> boards.actor(b.id()).compose(actor -> {
            long current = actor.board().version();
            if (version > current) {
                return Future.failedFuture(new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        "the board is at version " + current, Map.of("field", "version")));
            }
            return history.stateAt(b.id(), version).map(state -> new JsonObject()
                    .put("board", Json.board(b, version)).put("version", version)
                    .put("items", new JsonObject(state.itemsToMap())));
        }));
    }

    private Future<JsonObject> restore(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        Object raw = Requests.body(ctx).getValue("version");
        if (!(raw instanceof Number n) || n.longValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw Requests.invalid("version", "version must be a whole number ≥ 0");
        }
        long version = n.longValue();
        return writable(ctx).compose(b -> boards.actor(b.id()).compose(actor -> {
            if (version > actor.board().version()) {
                return Future.failedFuture(new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        "the board is at version " + actor.board().version(), Map.of("field", "version")));
            }
            return actor.read(BoardState::copy).compose(current -> history.stateAt(b.id(), version)
                    .compose(old -> submit(actor, BoardDiff.between(current, old), p)))
                    .compose(ops -> audit.record(p, "board.restore", b.id(), new JsonObject().put("version", version).put("ops", ops))
                            .map(x -> new JsonObject().put("board", b.id()).put("restoredVersion", version).put("ops", ops)
                                    .put("version", actor.board().version())));
        }));
    }

    /** Submits the ops in order as the user (one commit group); completes with how many. */
    private Future<Integer> submit(BoardActor actor, List<Op> ops, Principal p) {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<Future<Long>> all = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            all.add(actor.submit(p, "restore-" + batch + "-" + i, ops.get(i), null));
        }
        return Future.all(all).map(x -> ops.size());
    }
}
