package org.linkboard.server.linkage;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.Store;

/**
 * {@code GET /api/boards/{id}/items/{item}/linkage}: the linkage view of a goal (docs/linkage.md).
 * NOT_FOUND when the board is absent, archived or outside the caller's read scope, or when the
 * item is not a goal. Mounted on the authenticated {@code /api} router.
 */
public final class LinkageRoutes {

    private final LinkageService linkage;
    private final Store store;
    private final AccessPolicy access;

    public LinkageRoutes(LinkageService linkage, Store store, AccessPolicy access) {
        this.linkage = linkage;
        this.store = store;
        this.access = access;
    }

    public void mount(Router api) {
        api.get("/boards/:id/items/:item/linkage").handler(Responses.async(200, ctx -> {
            Principal p = Requests.principal(ctx);
            String id = ctx.pathParam("id");
            String item = ctx.pathParam("item");
            return store.getBoard(id).compose(b -> {
                if (b == null || b.archived() || !access.canRead(p, b.unit())) {
                    return Future.failedFuture(Errors.notFound("board " + id + " not found"));
                }
                return linkage.view(p, b, item);
            });
        }));
    }
}
