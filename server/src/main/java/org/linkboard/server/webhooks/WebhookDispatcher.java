package org.linkboard.server.webhooks;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.metrics.Metrics;
import org.linkboard.server.linkage.LinkageService;
import org.linkboard.server.realtime.RealtimeEndpoint;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.WebhookRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs every webhook: loads them at start (each resumes after its persisted cursor), listens to
 * {@link AppliedOp#ADDRESS} and hands each board's ops to the workers of that board. Other
 * packages publish events that are not ops with {@link #emit} (the linkage: {@code rollup.changed}).
 *
 * <p>Threading: all worker state lives on one context of its own (created at construction);
 * public methods may be called from any thread and hop there. Delivery never blocks a board:
 * actors only publish on the event bus.
 */
public final class WebhookDispatcher {

    private final Vertx vertx;
    private final Context context;
    private final Store store;
    private final HttpClient http;
    private final Metrics metrics;
    private final long retryBaseMs;
    private final Map<String, HookWorker> workers = new LinkedHashMap<>();
    private final Map<String, List<HookWorker>> byBoard = new HashMap<>();
    private final Map<String, Long> boardVersions = new HashMap<>();
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();

    public WebhookDispatcher(Vertx vertx, Store store, Metrics metrics, long retryBaseMs) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.store = store;
        this.metrics = metrics;
        this.retryBaseMs = retryBaseMs;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    }

    /** Loads the hooks and starts listening; completes when they are running. */
    public Future<Void> start() {
        return onContext(() -> {
            consumers.add(vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(this::onApplied)));
            consumers.add(vertx.eventBus().<JsonObject>localConsumer(LinkageService.ROLLUP_CHANGED_ADDRESS, m -> {
                JsonObject r = m.body();
                emitHere(r.getString("board"), WebhookEvents.ROLLUP_CHANGED, new JsonObject().put("item", r.getString("item"))
                        .put("rollup", r.getJsonObject("rollup")));
            }));
            consumers.add(vertx.eventBus().<JsonObject>localConsumer(RealtimeEndpoint.JOINED_ADDRESS, m -> {
                JsonObject j = m.body();
                String board = j.getString("board");
                emitHere(board, WebhookEvents.MEMBER_JOINED, new JsonObject().put("session", j.getString("session"))
                        .put("user", j.getJsonObject("user")));
            }));
            return store.listWebhooks().map(list -> {
                list.forEach(this::add);
                return null;
            });
        });
    }

    /** How long a stop waits for deliveries under way (each attempt has its own request timeout too). */
    static final long STOP_WAIT_MS = 5_000;

    /**
     * Stops every hook: deliveries under way may end and save their cursors first (for at most
     * {@link #STOP_WAIT_MS}), so a clean restart sends nothing twice; then the HTTP client closes.
     */
    public Future<Void> stop() {
        return onContext(() -> {
            consumers.forEach(MessageConsumer::unregister);
            List<Future<Void>> stopping = new ArrayList<>();
            for (HookWorker w : workers.values()) stopping.add(w.stop());
            Promise<Void> settled = Promise.promise();
            long timer = vertx.setTimer(STOP_WAIT_MS, t -> settled.tryComplete());
            Future.join(stopping).onComplete(ar -> {
                vertx.cancelTimer(timer);
                settled.tryComplete();
            });
            return settled.future().compose(v -> http.close());
        });
    }

    private void onApplied(AppliedOp op) {
        boardVersions.put(op.board().id(), op.seq());
        List<HookWorker> list = byBoard.get(op.board().id());
        if (list == null) return;
        LoggedOp logged = new LoggedOp(op.seq(), op.opJson(), op.by(), op.cid(), op.at());
        for (HookWorker w : list) w.offer(logged);
    }

    /** Publishes an event that is not an op (e.g. {@code rollup.changed}) to the board's hooks. Any thread. */
    public void emit(String boardId, String type, JsonObject data) {
        context.runOnContext(v -> emitHere(boardId, type, data));
    }

    private void emitHere(String boardId, String type, JsonObject data) {
        List<HookWorker> list = byBoard.get(boardId);
        if (list == null) return;
        long seq = boardVersions.getOrDefault(boardId, 0L);
        for (HookWorker w : list) w.offerTransient(type, seq, data);
    }

    private void add(WebhookRecord hook) {
        HookWorker w = new HookWorker(vertx, context, store, http, metrics, retryBaseMs, hook);
        workers.put(hook.id(), w);
        byBoard.computeIfAbsent(hook.board(), k -> new ArrayList<>()).add(w);
        w.pump();
    }

    /**
     * Brings the running hooks in line with the store: starts hooks created elsewhere (another
     * cluster node) and stops those deleted there. Any thread.
     */
    public Future<Void> reload() {
        return onContext(() -> store.listWebhooks().map(list -> {
            java.util.Set<String> stored = new java.util.HashSet<>();
            for (WebhookRecord h : list) {
                stored.add(h.id());
                if (!workers.containsKey(h.id())) add(h);
            }
            for (String id : new ArrayList<>(workers.keySet())) {
                if (!stored.contains(id)) {
                    HookWorker w = workers.remove(id);
                    w.stop();
                    List<HookWorker> ofBoard = byBoard.get(w.hook().board());
                    if (ofBoard != null) ofBoard.remove(w);
                }
            }
            return null;
        }));
    }

    /** Saves and starts a new hook. */
    public Future<WebhookRecord> create(WebhookRecord hook) {
        return onContext(() -> store.saveWebhook(hook).map(v -> {
            add(hook);
            return hook;
        }));
    }

    /** Every hook with its current cursor. */
    public Future<List<WebhookRecord>> list() {
        return onContext(() -> Future.succeededFuture(workers.values().stream().map(HookWorker::hook).toList()));
    }

    public Future<WebhookRecord> get(String id) {
        return onContext(() -> Future.succeededFuture(workers.containsKey(id) ? workers.get(id).hook() : null));
    }

    public Future<Boolean> delete(String id) {
        return onContext(() -> {
            HookWorker w = workers.remove(id);
            if (w != null) {
                w.stop();
                List<HookWorker> list = byBoard.get(w.hook().board());
                if (list != null) list.remove(w);
            }
            return store.deleteWebhook(id);
        });
    }

    public Future<Void> replay(String id, long since) {
        return onContext(() -> {
            HookWorker w = workers.get(id);
            if (w != null) w.replay(since);
            return Future.succeededFuture();
        });
    }

    public Future<JsonArray> deliveries(String id) {
        return onContext(() -> Future.succeededFuture(workers.containsKey(id) ? workers.get(id).deliveryLog() : new JsonArray()));
    }

    private <T> Future<T> onContext(Supplier<Future<T>> work) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }
}
