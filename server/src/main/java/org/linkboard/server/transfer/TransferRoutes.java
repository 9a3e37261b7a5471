package org.linkboard.server.transfer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;

/**
 * {@code GET /api/boards/{id}/export?history=true}, {@code GET /api/boards/{id}/export.csv}
 * (read scope) and {@code POST /api/boards/import} (write scope of the target unit).
 */
public final class TransferRoutes {

    private final Store store;
    private final AccessPolicy access;
    private final UnitDirectory units;
    private final BoardTransfer transfer;

    public TransferRoutes(Store store, AccessPolicy access, UnitDirectory units, BoardTransfer transfer) {
        this.store = store;
        this.access = access;
        this.units = units;
        this.transfer = transfer;
    }

    public void mount(Router api) {
        api.get("/boards/:id/export").handler(Responses.asyncLarge(200, ctx -> readable(ctx)
                .compose(b -> transfer.exportJson(b, "true".equals(ctx.request().getParam("history"))))));
        api.get("/boards/:id/export.csv").handler(ctx -> readable(ctx).compose(transfer::exportCsv).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + ctx.pathParam("id") + ".csv\"")
                    .end(ar.result());
        }));
        api.post("/boards/import").handler(Responses.async(201, this::importBoard));
    }

    private Future<JsonObject> importBoard(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        String format = Requests.requiredString(body, "format");
        String unit = Requests.requiredString(body, "unit");
        String title = Requests.optionalString(body, "title");
        if (!units.exists(unit)) throw Requests.invalid("unit", "unknown unit '" + unit + "'");
        if (!access.canWrite(p, unit)) throw Errors.forbidden("you may not create boards for unit " + unit);
        if (!(body.getValue("data") instanceof JsonObject data)) throw Requests.invalid("data", "'data' must be the exported JSON object");
        return transfer.importBoard(p, format, unit, title, data);
    }

    private Future<BoardRecord> readable(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        return store.getBoard(id).compose(b -> b == null || b.archived() || !access.canRead(p, b.unit())
                ? Future.failedFuture(BoardTransfer.notFound(id)) : Future.succeededFuture(b));
    }
}
