package org.linkboard.server.webhooks;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.metrics.Metrics;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.WebhookRecord;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one hook's events, one at a time, in seq order.
 *
 * <p>Live ops arrive through {@link #offer}; a bounded queue holds them. When it overflows, or
 * when the queue does not continue right after the cursor (after a restart, a replay, an
 * overflow), the worker reads the op log from its cursor instead, so no op is lost and the board
 * is never slowed: the board actor only publishes; everything here runs on the dispatcher's own
 * context. The cursor (last seq whose events were delivered or given up on) is persisted after
 * each op, so a restart resumes after it.
 *
 * <p>A failed delivery (no answer, or not 2xx) is retried after {@code base × 2^(attempt-1)}
 * (capped at 5 minutes), at most {@link #MAX_ATTEMPTS} attempts; then it is logged as given up
 * and the worker moves on (a replay can send it again).
 *
 * <p>Threading: every method must run on {@code context}.
 */
final class HookWorker {

    private static final Logger LOG = Logger.getLogger(HookWorker.class.getName());
    static final int MAX_ATTEMPTS = 10;
    private static final int QUEUE_LIMIT = 1_000;
    private static final int PAGE = 200;
    private static final int LOG_LIMIT = 200;
    private static final long MAX_BACKOFF_MS = 300_000;
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    /** A queued live op, or a transient event (rollup, join) that has no seq of its own. */
    private record Entry(LoggedOp op, JsonObject transientEvent) {
    }

    private final Vertx vertx;
    private final Context context;
    private final Store store;
    private final HttpClient http;
    private final Metrics metrics;
    private final long retryBaseMs;
    private WebhookRecord hook;
    private final Set<String> wanted;

    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ArrayDeque<JsonObject> deliveries = new ArrayDeque<>();
    private long cursor;
    private boolean busy;
    private boolean stopped;
    /** Bumped by a replay: work started before it must not move the cursor. */
    private long generation;
    /** The delivery under way (never fails); a stop waits for it. */
    private Future<Void> delivering = Future.succeededFuture();
    /** The last cursor write (never fails); a stop waits for it before the store closes. */
    private Future<Void> cursorSaved = Future.succeededFuture();

    HookWorker(Vertx vertx, Context context, Store store, HttpClient http, Metrics metrics, long retryBaseMs, WebhookRecord hook) {
        this.vertx = vertx;
        this.context = context;
        this.store = store;
        this.http = http;
        this.metrics = metrics;
        this.retryBaseMs = retryBaseMs;
        this.hook = hook;
        this.wanted = new HashSet<>(hook.events());
        this.cursor = hook.cursor();
    }

    WebhookRecord hook() {
        return hook.withCursor(cursor);
    }

    void offer(LoggedOp op) {
        if (stopped || op.seq() <= cursor) return;
        if (queue.size() >= QUEUE_LIMIT) {
            // Catch up from the log later instead of holding an unbounded backlog in memory.
            queue.clear();
        } else {
            queue.add(new Entry(op, null));
        }
        pump();
    }

    void offerTransient(String type, long seq, JsonObject data) {
        if (stopped || !wanted.contains(type) || queue.size() >= QUEUE_LIMIT) return;
        queue.add(new Entry(null, WebhookEvents.transientEvent(hook.board(), type, seq, data)));
        pump();
    }

    /** Resends everything after {@code since}: the cursor goes back and the log is read again. */
    void replay(long since) {
        generation++;
        cursor = since;
        queue.removeIf(e -> e.op() != null);
        persistCursor();
        busy = false;
        pump();
    }

    /**
     * Takes nothing new; completes once the delivery under way has ended (answered, or its attempt
     * failed) and the cursor it moved is saved, so a restart resumes right after what was delivered.
     */
    Future<Void> stop() {
        stopped = true;
        queue.clear();
        return delivering.compose(v -> cursorSaved);
    }

    JsonArray deliveryLog() {
        JsonArray out = new JsonArray();
        deliveries.descendingIterator().forEachRemaining(out::add);
        return out;
    }

    void pump() {
        if (busy || stopped) return;
        while (!queue.isEmpty() && queue.peek().op() != null && queue.peek().op().seq() <= cursor) queue.poll();
        Entry head = queue.peek();
        if (head != null && head.transientEvent() != null) {
            queue.poll();
            busy = true;
            long gen = generation;
            Future<Void> sent = send(head.transientEvent(), 1, gen);
            delivering = sent.transform(ar -> Future.succeededFuture());
            sent.onComplete(ar -> {
                if (gen != generation) return;
                busy = false;
                pump();
            });
            return;
        }
        if (head != null && head.op().seq() == cursor + 1) {
            queue.poll();
            deliverOps(List.of(head.op()));
            return;
        }
        // A gap (restart, replay, overflow) or a caught-up queue: ask the log what comes after the cursor.
        busy = true;
        long gen = generation;
        store.readOps(hook.board(), cursor, PAGE).onComplete(ar -> onContext(() -> {
            if (gen != generation || stopped) return;
            busy = false;
            if (ar.failed()) {
                LOG.log(Level.WARNING, "webhook " + hook.id() + ": cannot read the op log; retrying", ar.cause());
                busy = true;
                vertx.setTimer(retryBaseMs, t -> onContext(() -> {
                    if (gen != generation) return;
                    busy = false;
                    pump();
                }));
                return;
            }
            List<LoggedOp> ops = ar.result();
            if (ops.isEmpty()) {
                // Nothing after the cursor in the log. Ops offered during the read may be waiting.
                Entry next = queue.peek();
                if (next != null && (next.transientEvent() != null || next.op().seq() == cursor + 1)) pump();
                return;
            }
            deliverOps(ops);
        }));
    }

    private void deliverOps(List<LoggedOp> ops) {
        busy = true;
        long gen = generation;
        Future<Void> chain = Future.succeededFuture();
        for (LoggedOp op : ops) {
            chain = chain.compose(v -> {
                if (gen != generation || stopped) return Future.failedFuture("superseded");
                Future<Void> events = Future.succeededFuture();
                for (JsonObject event : WebhookEvents.fromOp(hook.board(), op, wanted)) {
                    events = events.compose(x -> send(event, 1, gen));
                }
                return events.map(x -> {
                    if (gen == generation) {
                        cursor = op.seq();
                        persistCursor();
                    }
                    return null;
                });
            });
        }
        delivering = chain.transform(ar -> Future.succeededFuture());
        chain.onComplete(ar -> onContext(() -> {
            if (gen != generation) return;
            busy = false;
            pump();
        }));
    }

    /** Sends one event until it is delivered or given up on; never fails. */
    private Future<Void> send(JsonObject event, int attempt, long gen) {
        if (stopped || gen != generation) return Future.succeededFuture();
        event.put("hook", hook.id());
        Buffer body = event.toBuffer();
        String signature = WebhookSignature.sign(hook.secret(), body.getBytes());
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(hook.url())
                .setTimeout(REQUEST_TIMEOUT_MS)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Linkboard-Webhooks/1")
                .putHeader("X-Linkboard-Event", event.getString("type"))
                .putHeader("X-Linkboard-Delivery", event.getString("id"))
                .putHeader(WebhookSignature.HEADER, signature);
        return http.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .transform(ar -> {
                    boolean ok = ar.succeeded() && ar.result() / 100 == 2;
                    record(event, attempt, ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null, started, ok);
                    if (metrics != null) metrics.webhookDelivery(ok);
                    if (!ok && stopped) {
                        // Abandoned by a shutdown: not delivered, so the cursor must not pass it.
                        return Future.<Void>failedFuture("stopped before " + event.getString("id") + " was delivered");
                    }
                    if (ok || gen != generation) return Future.<Void>succeededFuture();
                    if (attempt >= MAX_ATTEMPTS) {
                        LOG.warning(() -> "webhook " + hook.id() + ": giving up on " + event.getString("id") + " after " + attempt + " attempts");
                        return Future.<Void>succeededFuture();
                    }
                    long delay = Math.min(MAX_BACKOFF_MS, retryBaseMs << Math.min(20, attempt - 1));
                    return Future.<Void>future(p -> vertx.setTimer(delay, t -> p.complete()))
                            .compose(v -> send(event, attempt + 1, gen));
                });
    }

    private void record(JsonObject event, int attempt, Integer status, Throwable error, long startedNanos, boolean ok) {
        JsonObject d = new JsonObject().put("event", event.getString("id")).put("type", event.getString("type"))
                .put("seq", event.getLong("seq")).put("attempt", attempt).put("status", status).put("ok", ok)
                .put("at", Instant.now().toString()).put("millis", (System.nanoTime() - startedNanos) / 1_000_000);
        if (error != null) d.put("error", String.valueOf(error.getMessage()));
        onContext(() -> {
            deliveries.addLast(d);
            if (deliveries.size() > LOG_LIMIT) deliveries.removeFirst();
        });
    }

    private void persistCursor() {
        long seq = cursor;
        cursorSaved = store.setWebhookCursor(hook.id(), seq)
                .onFailure(e -> LOG.log(Level.WARNING, "webhook " + hook.id() + ": cannot save its cursor " + seq, e))
                .transform(ar -> Future.succeededFuture());
    }

    private void onContext(Runnable r) {
        if (Vertx.currentContext() == context) r.run();
        else context.runOnContext(v -> r.run());
    }
}
