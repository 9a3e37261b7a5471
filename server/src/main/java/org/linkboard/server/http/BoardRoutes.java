package org.linkboard.server.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;

import java.util.Comparator;
import java.util.UUID;

/** Boards, snapshots, ops and history over REST (CONTRACT §4). */
public final class BoardRoutes {

    private final Store store;
    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final UnitDirectory units;

    public BoardRoutes(Store store, BoardRegistry boards, AccessPolicy access, UnitDirectory units) {
        this.store = store;
        this.boards = boards;
        this.access = access;
        this.units = units;
    }

    public void mount(Router api) {
        api.get("/boards").handler(Responses.async(200, this::list));
        api.post("/boards").handler(Responses.async(201, this::create));
        api.get("/boards/:id").handler(Responses.async(200, ctx -> readable(ctx).map(b -> Json.board(b, boards.liveVersion(b)))));
        // A big board's snapshot runs to megabytes: encoded off the event loop, as a join's is.
        api.get("/boards/:id/snapshot").handler(Responses.asyncLarge(200, this::snapshot));
        api.post("/boards/:id/ops").handler(Responses.async(200, this::submit));
        api.get("/boards/:id/ops").handler(Responses.asyncLarge(200, this::history));
        api.delete("/boards/:id").handler(Responses.async(204, this::archive));
    }

    /** The board if the caller may read it; NOT_FOUND otherwise, never revealing that it exists. */
    Future<BoardRecord> readable(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        // While the store is unreachable, a board loaded on this node still answers from memory.
        return store.getBoard(id).recover(e -> {
            BoardRecord loaded = boards.loadedRecord(id);
            return loaded != null ? Future.succeededFuture(loaded) : Future.failedFuture(e);
        }).compose(b -> {
            if (b == null || b.archived() || !access.canRead(p, b.unit())) {
                return Future.failedFuture(Errors.notFound("board " + id + " not found"));
            }
            return Future.succeededFuture(b);
        });
    }

    private Future<JsonArray> list(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        return store.listBoards(false).map(all -> {
            JsonArray out = new JsonArray();
            all.stream().filter(b -> access.canRead(p, b.unit()))
                    .sorted(Comparator.comparingLong(BoardRecord::createdAt).thenComparing(BoardRecord::id))
                    .forEach(b -> out.add(Json.board(b, boards.liveVersion(b))));
            return out;
        });
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        String title = Requests.requiredString(body, "title");
        String unit = Requests.requiredString(body, "unit");
        String id = Requests.optionalString(body, "id");
        if (title.isBlank() || title.length() > 200) throw Requests.invalid("title", "a board title is 1–200 characters");
        if (id != null && !Requests.ID.matcher(id).matches()) throw Requests.invalid("id", "a board id is 1–64 characters of A–Z, a–z, 0–9, _ and -");
        if (!units.exists(unit)) throw Requests.invalid("unit", "unknown unit '" + unit + "'");
        if (!access.canWrite(p, unit)) throw Errors.forbidden("you may not create boards for unit " + unit);
        String boardId = id != null ? id : "b-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return store.createBoard(new BoardRecord(boardId, title.strip(), unit, System.currentTimeMillis(), 0, false))
                .map(b -> Json.board(b, 0));
    }

    private Future<JsonObject> snapshot(RoutingContext ctx) {
        return readable(ctx).compose(b -> boards.actor(b.id()).compose(a -> a.snapshot(Json.board(b, b.version()))));
    }

    private Future<JsonObject> submit(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        String cid = Requests.optionalString(body, "cid");
        if (cid == null) cid = "rest-" + UUID.randomUUID();
        if (cid.isEmpty() || cid.length() > 128) throw Requests.invalid("cid", "a cid is 1–128 characters");
        Object raw = body.getValue("op");
        if (!(raw instanceof JsonObject json)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing 'op' object", java.util.Map.of("field", "op"));
        Op op = OpCodec.decode(json);
        String finalCid = cid;
        return readable(ctx).compose(b -> {
            if (!access.canWrite(p, b.unit())) return Future.failedFuture(Errors.forbidden("you may not edit boards of unit " + b.unit()));
            return boards.actor(b.id()).compose(a -> a.submit(p, finalCid, op, null));
        }).map(seq -> new JsonObject().put("seq", seq));
    }

    private Future<JsonObject> history(RoutingContext ctx) {
        long since = Requests.queryLong(ctx, "since", 0, 0, Long.MAX_VALUE);
        int limit = (int) Requests.queryLong(ctx, "limit", 1000, 1, 10_000);
        // Up to 10 000 ops parsed and built into the answer: on a worker, with its encoding (asyncLarge).
        return readable(ctx).compose(b -> store.readOps(b.id(), since, limit)).compose(ops -> ctx.vertx().executeBlocking(() -> {
            JsonArray out = new JsonArray();
            for (LoggedOp op : ops) out.add(Json.loggedOp(op));
            return new JsonObject().put("ops", out);
        }, false));
    }

    private Future<Void> archive(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        return readable(ctx).compose(b -> {
            if (!access.canManage(p, b.unit())) return Future.failedFuture(Errors.forbidden("only unit admins archive boards"));
            return boards.archive(b);
        });
    }
}
