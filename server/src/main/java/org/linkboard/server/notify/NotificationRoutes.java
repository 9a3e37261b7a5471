package org.linkboard.server.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.http.Requests;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UserRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.linkboard.server.http.Responses.async;

/**
 * The REST side of notifications (docs/collaboration.md): the caller's notifications and
 * settings, watching items, and the user lookup behind mention autocomplete. Every route needs
 * a signed-in user; handlers run on the event loop and only call the store asynchronously.
 */
public final class NotificationRoutes {

    private final Store store;
    private final UserDirectory users;
    private final AccessPolicy access;
    private final BoardRegistry boards;

    public NotificationRoutes(Store store, UserDirectory users, AccessPolicy access, BoardRegistry boards) {
        this.store = store;
        this.users = users;
        this.access = access;
        this.boards = boards;
    }

    public void mount(Router api) {
        api.get("/notifications").handler(async(200, this::list));
        api.post("/notifications/read-all").handler(async(200, ctx ->
                store.markAllNotificationsRead(Requests.principal(ctx).userId()).map(n -> new JsonObject().put("marked", n))));
        api.post("/notifications/:nid/read").handler(async(204, this::markRead));
        api.get("/me/settings").handler(async(200, ctx ->
                store.userSettings(Requests.principal(ctx).userId()).map(json -> UserSettings.parse(json).toJson())));
        api.put("/me/settings").handler(async(200, this::saveSettings));
        api.post("/boards/:id/items/:item/watch").handler(async(204, ctx -> watch(ctx, true)));
        api.delete("/boards/:id/items/:item/watch").handler(async(204, ctx -> watch(ctx, false)));
        api.get("/users/lookup").handler(async(200, this::lookup));
    }

    private Future<JsonArray> list(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        boolean unread = "true".equalsIgnoreCase(ctx.queryParams().get("unread"));
        int limit = (int) Requests.queryLong(ctx, "limit", 100, 1, 1000);
        return store.listNotifications(p.userId(), unread, 0, limit).map(list -> {
            JsonArray out = new JsonArray();
            list.forEach(n -> out.add(NotificationCenter.toJson(n)));
            return out;
        });
    }

    private Future<Void> markRead(RoutingContext ctx) {
        String id = ctx.pathParam("nid");
        return store.markNotificationRead(Requests.principal(ctx).userId(), id).compose(found -> found
                ? Future.succeededFuture() : Future.failedFuture(Errors.notFound("no notification " + id)));
    }

    private Future<JsonObject> saveSettings(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        JsonObject body = Requests.body(ctx);
        return store.userSettings(p.userId()).compose(json -> {
            UserSettings next = UserSettings.fromRequest(body, UserSettings.parse(json));
            return store.saveUserSettings(p.userId(), next.toJson().encode()).map(v -> next.toJson());
        });
    }

    /** Watching needs read scope only; the item must exist. Outside the scope: NOT_FOUND, as for a missing board. */
    private Future<Void> watch(RoutingContext ctx, boolean on) {
        Principal p = Requests.principal(ctx);
        String boardId = ctx.pathParam("id");
        String item = ctx.pathParam("item");
        return store.getBoard(boardId).compose(b -> {
            if (b == null || b.archived() || !access.canRead(p, b.unit())) {
                return Future.failedFuture(Errors.notFound("board " + boardId + " not found"));
            }
            return itemExists(b, item);
        }).compose(exists -> {
            if (!exists) return Future.failedFuture(Errors.notFound("no item '" + item + "' on this board"));
            return store.setWatch(boardId, item, p.userId(), on);
        });
    }

    private Future<Boolean> itemExists(BoardRecord b, String item) {
        return boards.actor(b.id()).compose(a -> a.read(state -> state.item(item) != null));
    }

    /**
     * {@code ?q=} users whose username or name contains q (usernames starting with it first), at
     * most 20; or {@code ?ids=a,b} those users. Only id, username and name: any user may ask.
     */
    private Future<JsonArray> lookup(RoutingContext ctx) {
        String q = ctx.queryParams().get("q");
        String ids = ctx.queryParams().get("ids");
        List<UserRecord> found = new ArrayList<>();
        if (ids != null) {
            for (String id : ids.split(",", 200)) {
                UserRecord u = users.get(id.trim());
                if (u != null) found.add(u);
            }
        } else {
            String needle = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
            if (needle.length() > 64) throw Requests.invalid("q", "q is at most 64 characters");
            users.all().stream()
                    .filter(u -> u.username().toLowerCase(Locale.ROOT).contains(needle)
                            || (u.name() != null && u.name().toLowerCase(Locale.ROOT).contains(needle)))
                    .sorted(Comparator.comparing((UserRecord u) -> !u.username().toLowerCase(Locale.ROOT).startsWith(needle))
                            .thenComparing(UserRecord::username))
                    .limit(20).forEach(found::add);
        }
        JsonArray out = new JsonArray();
        found.forEach(u -> out.add(new JsonObject().put("id", u.id()).put("username", u.username()).put("name", u.name())));
        return Future.succeededFuture(out);
    }
}
