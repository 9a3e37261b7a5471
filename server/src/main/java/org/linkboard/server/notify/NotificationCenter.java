package org.linkboard.server.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.BuiltInTypes;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.Op;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.NotificationRecord;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UserRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns what happens on boards into notifications (docs/collaboration.md): {@code @username}
 * mentions in comments and descriptions, assignments, status or stage changes of watched items,
 * goals reaching their target, and (through {@link DueReminders}) due dates. Keeps the watchers
 * of items (creator, assignee, commenters, explicit watchers) in the store.
 *
 * <p>Listens to {@link AppliedOp#ADDRESS} and {@link #ROLLUP_ADDRESS} on the event bus. The ops of
 * one board are handled one after the other, so a watcher added by one op is seen by the next.
 * Every notification is stored, then sent to each open WebSocket session of its user, then mailed
 * when the user asked for instant e-mail. Only users who can read the board are notified, and
 * never about their own action. Failures are logged, never thrown into the board.
 */
public final class NotificationCenter {

    private static final Logger LOG = Logger.getLogger(NotificationCenter.class.getName());

    /**
     * Where linkage publishes rollup changes (local, {@code {"type","board","item","rollup"}} as the
     * WebSocket {@code rollup} message); a rollup whose {@code progress} reaches 100 notifies the
     * goal's watchers once.
     */
    public static final String ROLLUP_ADDRESS = org.linkboard.server.linkage.LinkageService.ROLLUP_CHANGED_ADDRESS;
    private static final int EXCERPT = 140;

    private final Vertx vertx;
    private final Store store;
    private final UserDirectory users;
    private final AccessPolicy access;
    private final BoardRegistry boards;
    private final NotificationSink sink;
    private final Mailer mailer;
    private final LongSupplier clock;
    private final Map<String, Future<Void>> tails = new ConcurrentHashMap<>();
    /**
     * Watches that ops implied (creators, commenters) and that may not be written yet, by
     * {@code board \n item}: the ops after them see them at once, without the board's chain of
     * notifications waiting on the store for each create (which could not keep up with a busy board).
     */
    private final Map<String, Set<String>> unwrittenWatches = new ConcurrentHashMap<>();

    public NotificationCenter(Vertx vertx, Store store, UserDirectory users, AccessPolicy access, BoardRegistry boards,
                              NotificationSink sink, Mailer mailer, LongSupplier clock) {
        this.vertx = vertx;
        this.store = store;
        this.users = users;
        this.access = access;
        this.boards = boards;
        this.sink = sink;
        this.mailer = mailer;
        this.clock = clock;
    }

    public Store store() {
        return store;
    }

    public UserDirectory users() {
        return users;
    }

    public BoardRegistry boards() {
        return boards;
    }

    /** Subscribes to applied ops and rollup changes. */
    public void start() {
        vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(this::follow));
        vertx.eventBus().<JsonObject>localConsumer(ROLLUP_ADDRESS, m -> rollupChanged(m.body()));
    }

    /** Handles the op after the board's previous ones. */
    private void follow(AppliedOp a) {
        String board = a.board().id();
        tails.compute(board, (k, prev) -> {
            Future<Void> before = prev == null ? Future.succeededFuture() : prev;
            return before.transform(ar -> handle(a).recover(e -> {
                LOG.log(Level.WARNING, "notifications for op " + a.seq() + " of board " + board + " failed", e);
                return Future.succeededFuture();
            }));
        });
    }

    // ---- reacting to ops ------------------------------------------------------------------------

    private Future<Void> handle(AppliedOp a) {
        Op op = a.op();
        String by = a.by();
        if (op instanceof Op.Create c) {
            Item item = a.changed().get(c.id());
            if (item == null) return Future.succeededFuture();
            return created(a.board(), item, by);
        }
        if (op instanceof Op.SetField s) {
            Item item = a.changed().get(s.id());
            if (item == null) return Future.succeededFuture();
            return fieldSet(a.board(), item, s.field(), s.value(), by);
        }
        return Future.succeededFuture();
    }

    private Future<Void> created(BoardRecord board, Item item, String by) {
        List<Future<?>> work = new ArrayList<>();
        String subject = subjectOf(item);
        if (BuiltInTypes.COMMENT_TYPE.equals(item.type())) {
            // Commenters watch the thread's card.
            if (subject != null && !isSystem(by)) watch(board.id(), subject, by);
            work.add(mentioned(board, item, subject, "text", item.fields().get("text"), by, item.id()));
        } else if (!"lane".equals(item.type()) && !BuiltInTypes.CHECK_TYPE.equals(item.type())) {
            if (!isSystem(by)) watch(board.id(), item.id(), by);
            work.add(mentioned(board, item, subject, "description", item.fields().get("description"), by, item.id()));
        }
        Object assignee = item.fields().get("assignee");
        if (assignee instanceof String name) work.add(assigned(board, item, subject, name, by));
        return Future.join(work).mapEmpty();
    }

    private Future<Void> fieldSet(BoardRecord board, Item item, String field, Object value, String by) {
        String subject = subjectOf(item);
        switch (field) {
            case "text", "description" -> {
                if (("text".equals(field) && BuiltInTypes.COMMENT_TYPE.equals(item.type())) || "description".equals(field)) {
                    return mentioned(board, item, subject, field, value, by, item.id());
                }
                return Future.succeededFuture();
            }
            case "assignee" -> {
                return value instanceof String name ? assigned(board, item, subject, name, by) : Future.succeededFuture();
            }
            case "status", "stage" -> {
                if (value == null || BuiltInTypes.isLeafAnnex(item.type())) return Future.succeededFuture();
                return watchersOf(board.id(), item.id()).compose(watchers -> titleOf(board.id(), item.id()).compose(title ->
                        notify(board, watchers, "status", item.id(), by,
                                nameOf(by) + " moved “" + title + "” to " + value).mapEmpty()));
            }
            default -> {
                return Future.succeededFuture();
            }
        }
    }

    /** Adds a watcher an op implies; written in the background, seen by {@link #watchersOf} at once. */
    private void watch(String boardId, String itemId, String userId) {
        String key = boardId + '\n' + itemId;
        unwrittenWatches.compute(key, (k, users) -> {
            Set<String> out = users == null ? ConcurrentHashMap.newKeySet() : users;
            out.add(userId);
            return out;
        });
        store.watchSoon(boardId, itemId, userId).onComplete(ar -> {
            if (ar.failed()) LOG.log(Level.WARNING, "watch of " + itemId + " on board " + boardId + " by " + userId + " failed", ar.cause());
            unwrittenWatches.computeIfPresent(key, (k, users) -> {
                users.remove(userId);
                return users.isEmpty() ? null : users;
            });
        });
    }

    /** The watchers of an item: the stored ones and those still being written. */
    private Future<List<String>> watchersOf(String boardId, String itemId) {
        // Taken before the read: a watch written meanwhile is in the read, or still here.
        Set<String> unwritten = unwrittenWatches.get(boardId + '\n' + itemId);
        List<String> pending = unwritten == null ? List.of() : List.copyOf(unwritten);
        return store.watchers(boardId, itemId).map(stored -> {
            if (pending.isEmpty()) return stored;
            Set<String> all = new java.util.TreeSet<>(stored);
            all.addAll(pending);
            return List.copyOf(all);
        });
    }

    /**
     * Mentions in a comment's text or an item's description. Each user is told once per comment
     * (and once per description), however often the text is edited afterwards.
     */
    private Future<Void> mentioned(BoardRecord board, Item item, String subject, String field, Object text, String by, String source) {
        if (!(text instanceof String s)) return Future.succeededFuture();
        Set<String> names = Mentions.in(s);
        if (names.isEmpty()) return Future.succeededFuture();
        List<Future<String>> claimed = new ArrayList<>();
        for (String name : names) {
            UserRecord u = byUsername(name);
            if (u == null || u.id().equals(by)) continue;
            String key = "mention:" + board.id() + ":" + source + ":" + field + ":" + u.id();
            claimed.add(store.claimReminder(key).map(first -> first ? u.id() : null));
        }
        if (claimed.isEmpty()) return Future.succeededFuture();
        String target = subject != null ? subject : item.id();
        return Future.all(claimed).compose(all -> titleOf(board.id(), target).compose(title -> {
            List<String> to = new ArrayList<>();
            for (Future<String> f : claimed) if (f.result() != null) to.add(f.result());
            String where = BuiltInTypes.COMMENT_TYPE.equals(item.type()) ? " in a comment on “" : " on “";
            return notify(board, to, "mention", target, by, nameOf(by) + " mentioned you" + where + title + "”: " + excerpt(s)).mapEmpty();
        }));
    }

    private Future<Void> assigned(BoardRecord board, Item item, String subject, String username, String by) {
        UserRecord u = byUsername(username);
        if (u == null) return Future.succeededFuture();
        String target = subject != null ? subject : item.id();
        Future<Void> watch = store.setWatch(board.id(), target, u.id(), true);
        return watch.compose(v -> titleOf(board.id(), item.id())).compose(title -> {
            String what = BuiltInTypes.CHECK_TYPE.equals(item.type()) ? "the checklist entry “" : "“";
            return notify(board, List.of(u.id()), "assigned", target, by, nameOf(by) + " assigned you to " + what + title + "”");
        }).mapEmpty();
    }

    private void rollupChanged(JsonObject m) {
        String boardId = m.getString("board");
        String item = m.getString("item");
        JsonObject rollup = m.getJsonObject("rollup");
        if (boardId == null || item == null || rollup == null) return;
        Number progress = rollup.getNumber("progress");
        if (progress == null || progress.doubleValue() < 100) return;
        goalReached(boardId, item).onFailure(e -> LOG.log(Level.WARNING, "goal notification failed", e));
    }

    /** Notifies the watchers of a goal that it reached its target, once per goal. Public for linkage and tests. */
    public Future<Void> goalReached(String boardId, String goalId) {
        return store.claimReminder("goal-reached:" + boardId + ":" + goalId).compose(first -> {
            if (!first) return Future.succeededFuture();
            return store.getBoard(boardId).compose(board -> {
                if (board == null || board.archived()) return Future.succeededFuture();
                return watchersOf(boardId, goalId).compose(w -> titleOf(boardId, goalId).compose(title ->
                        notify(board, w, "goal-reached", goalId, null, "Goal “" + title + "” reached its target"))).mapEmpty();
            });
        });
    }

    // ---- delivering ---------------------------------------------------------------------------

    /**
     * Stores and delivers one notification to each of these users who can read the board and is
     * not {@code by}; completes with what was stored.
     */
    public Future<List<NotificationRecord>> notify(BoardRecord board, Collection<String> userIds, String kind, String item, String by, String text) {
        long now = clock.getAsLong();
        List<NotificationRecord> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(userIds)) {
            if (id == null || id.equals(by) || isSystem(id)) continue;
            UserRecord u = users.get(id);
            if (u == null || !access.canRead(UserDirectory.principalOf(u), board.unit())) continue;
            out.add(new NotificationRecord(UUID.randomUUID().toString(), id, kind, board.id(), item, by, text, now, false));
        }
        if (out.isEmpty()) return Future.succeededFuture(out);
        return store.addNotifications(out).map(v -> {
            for (NotificationRecord n : out) {
                sink.sendToUser(n.userId(), new JsonObject().put("type", "notification").put("notification", toJson(n)));
                mailInstantly(n);
            }
            return out;
        });
    }

    private void mailInstantly(NotificationRecord n) {
        if (!mailer.enabled()) return;
        store.userSettings(n.userId()).onSuccess(json -> {
            UserSettings s = UserSettings.parse(json);
            if (!"instant".equals(s.emailNotifications()) || s.email() == null) return;
            mailer.send(s.email(), "[Linkboard] " + excerpt(n.text()), n.text() + "\n\nBoard: " + n.board() + (n.item() == null ? "" : ", item " + n.item()))
                    .onFailure(e -> LOG.log(Level.WARNING, "cannot mail notification " + n.id() + " to " + s.email(), e));
        });
    }

    /** The JSON shape of a notification: {@code {id,kind,board,item,by,text,at,read}}, {@code at} ISO-8601. */
    public static JsonObject toJson(NotificationRecord n) {
        return new JsonObject().put("id", n.id()).put("kind", n.kind()).put("board", n.board()).put("item", n.item())
                .put("by", n.by()).put("text", n.text()).put("at", Instant.ofEpochMilli(n.at()).toString()).put("read", n.read());
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The item a comment or checklist entry belongs to (its parent); null for other items (they are their own subject). */
    private static String subjectOf(Item item) {
        return BuiltInTypes.isLeafAnnex(item.type()) ? item.parent() : null;
    }

    Future<String> titleOf(String boardId, String itemId) {
        return boards.actor(boardId).compose(a -> a.read(state -> {
            Item it = state.item(itemId);
            if (it == null) return itemId;
            Object t = it.fields().get("title");
            if (t == null) t = it.fields().get("text");
            if (t == null) t = it.fields().get("name");
            return t == null ? itemId : String.valueOf(t);
        })).recover(e -> Future.succeededFuture(itemId));
    }

    /** The user with this username (exact, else ignoring case), or null. */
    public UserRecord byUsername(String username) {
        UserRecord folded = null;
        for (UserRecord u : users.all()) {
            if (u.username().equals(username)) return u;
            if (folded == null && u.username().equalsIgnoreCase(username)) folded = u;
        }
        return folded;
    }

    private String nameOf(String userId) {
        if (userId == null || isSystem(userId)) return "Linkboard";
        UserRecord u = users.get(userId);
        return u == null ? "Someone" : (u.name() == null || u.name().isBlank() ? u.username() : u.name());
    }

    private static boolean isSystem(String userId) {
        return Principal.SYSTEM.userId().equals(userId);
    }

    static String excerpt(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
    }
}
