package org.linkboard.server.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.linkboard.server.board.BuiltInTypes;
import org.linkboard.server.board.Item;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.NotificationRecord;
import org.linkboard.server.store.UserRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The periodic sweep (a Vert.x timer) that reminds people of due dates and sends daily e-mail
 * digests (docs/collaboration.md).
 *
 * <p>A card or checklist entry with a {@code due} date that is not done gets one {@code due}
 * reminder when the end of its due day (UTC) is within 24 hours, and one {@code overdue}
 * reminder once it has passed. Each reminder is claimed in the store before it is sent
 * ({@link org.linkboard.server.store.Store#claimReminder}), so it goes out once however many
 * nodes sweep. A changed due date is a new reminder. Recipients: the assignee (by username) and
 * the watchers of the card.
 *
 * <p>The clock is injected; {@link #sweep()} runs one pass and completes when it is done (tests
 * call it directly instead of waiting for the timer). Runs on the event loop of the timer; every
 * store call is asynchronous.
 */
public final class DueReminders {

    private static final Logger LOG = Logger.getLogger(DueReminders.class.getName());
    static final long DAY_MS = 24L * 3600 * 1000;
    /** Daily digests go out on the first sweep after this hour (UTC). */
    static final int DIGEST_HOUR_UTC = 7;

    private final Vertx vertx;
    private final NotificationCenter center;
    private final Mailer mailer;
    private final LongSupplier clock;
    private long timer = -1;
    private volatile LocalDate lastDigestDay;
    private Future<Void> running = Future.succeededFuture();

    public DueReminders(Vertx vertx, NotificationCenter center, Mailer mailer, LongSupplier clock) {
        this.vertx = vertx;
        this.center = center;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** Sweeps every {@code intervalMs}; a sweep still running when the timer fires is not doubled. */
    public void start(long intervalMs) {
        timer = vertx.setPeriodic(intervalMs, intervalMs, t -> {
            if (running.isComplete()) running = sweep();
        });
    }

    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    /** One pass over every live board, then the digests; never fails (problems are logged). */
    public Future<Void> sweep() {
        long now = clock.getAsLong();
        return center.store().listBoards(false).compose(list -> {
            Future<Void> chain = Future.succeededFuture();
            for (BoardRecord b : list) {
                chain = chain.compose(v -> sweepBoard(b, now).recover(e -> {
                    LOG.log(Level.WARNING, "due reminders of board " + b.id() + " failed", e);
                    return Future.succeededFuture();
                }));
            }
            return chain;
        }).compose(v -> digests(now)).recover(e -> {
            LOG.log(Level.WARNING, "reminder sweep failed", e);
            return Future.succeededFuture();
        });
    }

    private record Due(String item, String subject, String title, String assignee, String due, boolean overdue) {
    }

    private Future<Void> sweepBoard(BoardRecord board, long now) {
        return center.boards().actor(board.id()).compose(a -> a.read(state -> {
            List<Due> out = new ArrayList<>();
            for (Item it : state.items().values()) {
                boolean check = BuiltInTypes.CHECK_TYPE.equals(it.type());
                if (!check && !"card".equals(it.type())) continue;
                if (!(it.fields().get("due") instanceof String due)) continue;
                if (isDone(it)) continue;
                long deadline;
                try {
                    deadline = LocalDate.parse(due).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    continue;
                }
                if (deadline - now > DAY_MS) continue;
                String subject = check && it.parent() != null ? it.parent() : it.id();
                Object title = check ? it.fields().get("text") : it.fields().get("title");
                Object assignee = it.fields().get("assignee");
                out.add(new Due(it.id(), subject, title == null ? it.id() : String.valueOf(title),
                        assignee instanceof String s ? s : null, due, now >= deadline));
            }
            return out;
        })).compose(dues -> {
            Future<Void> chain = Future.succeededFuture();
            for (Due d : dues) chain = chain.compose(v -> remind(board, d));
            return chain;
        });
    }

    private static boolean isDone(Item it) {
        if (BuiltInTypes.CHECK_TYPE.equals(it.type())) return Boolean.TRUE.equals(it.fields().get("done"));
        Object progress = it.fields().get("progress");
        return "done".equals(it.fields().get("status")) || (progress instanceof Number n && n.doubleValue() >= 100);
    }

    private Future<Void> remind(BoardRecord board, Due d) {
        String kind = d.overdue() ? "overdue" : "due";
        String key = kind + ":" + board.id() + ":" + d.item() + ":" + d.due();
        return center.store().claimReminder(key).compose(first -> {
            if (!first) return Future.<Void>succeededFuture();
            return center.store().watchers(board.id(), d.subject()).compose(watchers -> {
                Set<String> to = new LinkedHashSet<>();
                if (d.assignee() != null) {
                    UserRecord u = center.byUsername(d.assignee());
                    if (u != null) to.add(u.id());
                }
                // A checklist entry with an assignee concerns that person; otherwise the card's watchers.
                if (to.isEmpty() || "card".equals(typeHint(d))) to.addAll(watchers);
                String text = d.overdue() ? "“" + d.title() + "” was due " + d.due()
                        : "“" + d.title() + "” is due " + d.due();
                return center.notify(board, to, kind, d.subject(), null, text).mapEmpty();
            });
        });
    }

    private static String typeHint(Due d) {
        return d.item().equals(d.subject()) ? "card" : "check";
    }

    // ---- daily digests ------------------------------------------------------------------------

    private Future<Void> digests(long now) {
        if (!mailer.enabled()) return Future.succeededFuture();
        Instant at = Instant.ofEpochMilli(now);
        LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);
        if (at.atZone(ZoneOffset.UTC).getHour() < DIGEST_HOUR_UTC || today.equals(lastDigestDay)) return Future.succeededFuture();
        lastDigestDay = today;
        Future<Void> chain = Future.succeededFuture();
        for (UserRecord u : center.users().all()) {
            chain = chain.compose(v -> digest(u, today, now).recover(e -> {
                LOG.log(Level.WARNING, "digest for " + u.username() + " failed", e);
                return Future.succeededFuture();
            }));
        }
        return chain;
    }

    /** One e-mail with the user's notifications of the last 24 hours, once per day across the cluster. */
    Future<Void> digest(UserRecord u, LocalDate day, long now) {
        return center.store().userSettings(u.id()).compose(json -> {
            UserSettings s = UserSettings.parse(json);
            if (!"daily".equals(s.emailNotifications()) || s.email() == null) return Future.succeededFuture();
            return center.store().listNotifications(u.id(), false, now - DAY_MS, 500).compose(list -> {
                if (list.isEmpty()) return Future.succeededFuture();
                return center.store().claimReminder("digest:" + u.id() + ":" + day).compose(first -> {
                    if (!first) return Future.succeededFuture();
                    StringBuilder body = new StringBuilder("Your Linkboard notifications of the last 24 hours:\n\n");
                    for (int i = list.size() - 1; i >= 0; i--) {
                        NotificationRecord n = list.get(i);
                        body.append("- ").append(n.text()).append("  (").append(Instant.ofEpochMilli(n.at())).append(")\n");
                    }
                    return mailer.send(s.email(), "[Linkboard] " + list.size() + " notification" + (list.size() == 1 ? "" : "s") + " on " + day,
                            body.toString());
                });
            });
        });
    }
}
