package org.linkboard.server.board;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.Store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where a board's operations are ordered: validates, consults the {@link OpGate},
 * sequences, applies to the {@link BoardState}, hands the op to the store, and once the store
 * says it is durable acks the sender, fans out to every subscriber and publishes an
 * {@link AppliedOp}.
 *
 * <p>Threading: every method may be called from any thread; the work hops onto the actor's own
 * event-loop context, where all state lives (no locks). Frames for subscribers are written from
 * that context, so each session sees acks and ops of a board in strictly increasing seq order.
 *
 * <p>Group commit: ops sequenced during one event-loop turn, and all ops sequenced while a commit
 * is running, go to the store together. The state runs ahead of the durable log; whatever must
 * show only durable data (snapshots for joins, stored snapshots) waits at a barrier that holds
 * new ops back until the log has caught up with the state.
 */
public final class BoardActor {

    private static final Logger LOG = Logger.getLogger(BoardActor.class.getName());
    /** More than the contract's 10 000, so a client may resend a little older than that. */
    static final int CID_WINDOW = 16_384;
    /** Durable ops kept in memory to answer {@code join … since} without touching the store. */
    static final int RECENT_WINDOW = 10_000;
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    /** How the registry is told that this actor is unusable and must be reloaded from the store. */
    interface EvictionListener {
        void evicted(BoardActor actor);
    }

    private record Request(Principal by, String cid, Op op, BoardSubscriber origin, Promise<Long> promise, long submittedNanos) {
    }

    private record Pending(Request request, Op op, LoggedOp logged, Map<String, Item> changed) {
    }

    private final Context context;
    private final Store store;
    private final EventBus bus;
    private final AccessPolicy access;
    private final ItemTypes types;
    private final OpValidator validator;
    private final OpGate gate;
    private final int snapshotEvery;
    private final EvictionListener evictionListener;
    private final BoardObserver observer;

    private volatile BoardRecord board;
    private final BoardState state;
    private long durableVersion;
    private long lastSnapshotVersion;

    private final LinkedHashMap<String, Long> cids = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CID_WINDOW;
        }
    };
    private final ArrayDeque<LoggedOp> recent = new ArrayDeque<>();
    private final LinkedHashMap<String, BoardSubscriber> subscribers = new LinkedHashMap<>();
    private final Map<String, JsonObject> presence = new LinkedHashMap<>();

    private final ArrayDeque<Request> inbox = new ArrayDeque<>();
    private final List<Request> duplicatesAwaitingCommit = new ArrayList<>();
    private final List<Runnable> durableWaiters = new ArrayList<>();
    private boolean gateBusy;
    private boolean snapshotDue;
    private List<Pending> batch = new ArrayList<>();
    private List<Pending> inflight;
    private boolean flushScheduled;
    private boolean broken;
    /** Derived members for items shown to readers (rollups); set by the registry. */
    private volatile SnapshotDecorator decorator = SnapshotDecorator.NONE;

    BoardActor(Context context, Store store, EventBus bus, AccessPolicy access, ItemTypes types, OpGate gate,
               int snapshotEvery, BoardRecord board, BoardState state, long lastSnapshotVersion,
               List<LoggedOp> recentOps, EvictionListener evictionListener, BoardObserver observer) {
        this.context = context;
        this.store = store;
        this.bus = bus;
        this.access = access;
        this.types = types;
        this.validator = new OpValidator(types);
        this.gate = gate;
        this.snapshotEvery = snapshotEvery;
        this.board = board.withVersion(state.version());
        this.state = state;
        this.durableVersion = state.version();
        this.lastSnapshotVersion = lastSnapshotVersion;
        this.evictionListener = evictionListener;
        this.observer = observer;
        for (LoggedOp op : recentOps) {
            remember(op);
            if (op.cid() != null) cids.put(cidKey(op.by(), op.cid()), op.seq());
        }
    }

    public String boardId() {
        return board.id();
    }

    void useDecorator(SnapshotDecorator decorator) {
        this.decorator = decorator == null ? SnapshotDecorator.NONE : decorator;
    }

    /** The items as shown to readers: {@link BoardState#itemsToMap()} plus derived members. */
    private Map<String, Object> shownItems() {
        Map<String, Object> items = state.itemsToMap();
        decorator.decorate(board.id(), items);
        return items;
    }

    /** The board record with the durable version; safe to read from any thread (immutable value). */
    public BoardRecord board() {
        return board;
    }

    public Context context() {
        return context;
    }

    // ---- operations -----------------------------------------------------------------------------

    /**
     * Submits an op. Completes with its seq once durable (or the original seq for a cid this
     * user already had applied). When {@code origin} is given, the actor also writes the
     * {@code ack}/{@code reject} frame to it, in order with the board's other frames.
     */
    public Future<Long> submit(Principal by, String cid, Op op, BoardSubscriber origin) {
        Promise<Long> promise = Promise.promise();
        Request request = new Request(by, cid, op, origin, promise, System.nanoTime());
        onContext(() -> {
            inbox.add(request);
            drain();
        });
        return promise.future();
    }

    private void drain() {
        while (!gateBusy && durableWaiters.isEmpty() && !snapshotDue && !broken && !inbox.isEmpty()) {
            process(inbox.poll());
        }
        if (broken) {
            Request r;
            while ((r = inbox.poll()) != null) {
                reject(r, unavailable());
            }
        }
    }

    private void process(Request r) {
        String key = cidKey(r.by().userId(), r.cid());
        Long seen = cids.get(key);
        if (seen != null) {
            if (seen <= durableVersion) {
                ackDuplicate(r, seen);
            } else {
                duplicatesAwaitingCommit.add(r);
            }
            return;
        }
        if (board.archived()) {
            reject(r, Errors.notFound("board " + board.id() + " not found"));
            return;
        }
        if (!access.canWrite(r.by(), board.unit())) {
            reject(r, Errors.forbidden("you may not edit boards of unit " + board.unit()));
            return;
        }
        Op completed;
        try {
            // Validate the completed form: it is what every replica will apply.
            boolean manages = access.canManage(r.by(), board.unit());
            completed = BuiltInTypes.stampAuthor(state.complete(r.op(), types), r.by().userId(), r.by().isSystem() || manages);
            validator.validate(state, completed);
            CommentRules.requireMayChange(state, completed, r.by(), manages);
        } catch (LinkboardException e) {
            reject(r, e);
            return;
        } catch (RuntimeException e) {
            reject(r, Errors.normalize(e));
            return;
        }
        if (gate.concerns(board, state, completed)) {
            gateBusy = true;
            Future<Void> check;
            try {
                check = gate.check(board, state, completed, r.by());
            } catch (RuntimeException e) {
                check = Future.failedFuture(e);
            }
            check.onComplete(ar -> onContext(() -> {
                gateBusy = false;
                if (ar.failed()) {
                    reject(r, Errors.normalize(ar.cause()));
                } else if (!broken) {
                    // Intake was held while the gate ran, so the state is the one it judged.
                    sequence(r, completed, key);
                } else {
                    reject(r, unavailable());
                }
                drain();
            }));
            return;
        }
        sequence(r, completed, key);
    }

    private void sequence(Request r, Op completed, String cidKey) {
        long seq = state.version() + 1;
        List<String> changedIds = state.apply(completed, seq);
        Map<String, Item> changed = new LinkedHashMap<>(changedIds.size() * 2);
        for (String id : changedIds) {
            Item item = state.item(id);
            changed.put(id, item == null ? null : item.copy());
        }
        String opJson = OpCodec.encode(completed).encode();
        LoggedOp logged = new LoggedOp(seq, opJson, r.by().userId(), r.cid(), System.currentTimeMillis());
        cids.put(cidKey, seq);
        batch.add(new Pending(r, completed, logged, changed));
        if (!flushScheduled && inflight == null) {
            // Flush at the end of this turn, so every op of the frames read in this turn shares a commit.
            flushScheduled = true;
            context.runOnContext(v -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    private void flush() {
        if (inflight != null || batch.isEmpty() || broken) return;
        inflight = batch;
        batch = new ArrayList<>();
        List<LoggedOp> ops = new ArrayList<>(inflight.size());
        for (Pending p : inflight) ops.add(p.logged());
        store.append(board.id(), ops).onComplete(ar -> onContext(() -> {
            if (ar.succeeded()) {
                committed();
            } else {
                fail(ar.cause());
            }
        }));
    }

    private void committed() {
        List<Pending> done = inflight;
        inflight = null;
        observer.committed(done.size());
        long now = System.nanoTime();
        for (Pending p : done) {
            LoggedOp op = p.logged();
            durableVersion = op.seq();
            remember(op);
            Request r = p.request();
            byte[] frame = opFrame(op);
            BoardSubscriber origin = r.origin();
            for (BoardSubscriber s : subscribers.values()) {
                if (s != origin) s.deliver(frame);
            }
            if (origin != null) {
                // The ack names what the server filled in (pos, stage), so the sender's replica
                // lands exactly where every other replica does, without echoing the whole op.
                origin.deliver(ackFrame(r.cid(), op.seq(), assigned(r.op(), p.op())));
            }
            r.promise().tryComplete(op.seq());
            observer.accepted(now - r.submittedNanos());
            bus.publish(AppliedOp.ADDRESS,
                    new AppliedOp(board, op.seq(), p.op(), op.opJson(), op.by(), op.cid(), op.at(), p.changed()), LOCAL);
        }
        board = board.withVersion(durableVersion);
        if (!duplicatesAwaitingCommit.isEmpty()) {
            for (Iterator<Request> it = duplicatesAwaitingCommit.iterator(); it.hasNext(); ) {
                Request r = it.next();
                Long seq = cids.get(cidKey(r.by().userId(), r.cid()));
                if (seq != null && seq <= durableVersion) {
                    it.remove();
                    ackDuplicate(r, seq);
                }
            }
        }
        if (durableVersion - lastSnapshotVersion >= Math.max(snapshotEvery, state.items().size())) {
            snapshotDue = true;
        }
        if (!batch.isEmpty()) {
            flush();
        } else if (state.version() == durableVersion) {
            atDurablePoint();
        }
    }

    /** The state equals the durable log: serve whatever waited for that, then take ops again. */
    private void atDurablePoint() {
        if (snapshotDue) {
            snapshotDue = false;
            saveSnapshot();
        }
        if (!durableWaiters.isEmpty()) {
            List<Runnable> waiters = new ArrayList<>(durableWaiters);
            durableWaiters.clear();
            waiters.forEach(Runnable::run);
        }
        drain();
    }

    private void whenDurable(Runnable action) {
        if (!broken && inflight == null && batch.isEmpty() && state.version() == durableVersion) {
            action.run();
        } else {
            durableWaiters.add(action);
        }
    }

    private void saveSnapshot() {
        long version = state.version();
        String items = new JsonObject(state.itemsToMap()).encode();
        lastSnapshotVersion = version;
        store.saveSnapshot(board.id(), new Snapshot(version, items))
                .onFailure(e -> LOG.log(Level.WARNING, "snapshot of board " + board.id() + " at " + version + " failed", e));
    }

    private void fail(Throwable cause) {
        LOG.log(Level.WARNING, "board " + board.id() + ": commit failed, reloading from the store", cause);
        broken = true;
        LinkboardException error = cause instanceof LinkboardException le && le.code() == ErrorCode.UNAVAILABLE
                ? le : unavailable();
        List<Pending> lost = new ArrayList<>();
        if (inflight != null) lost.addAll(inflight);
        lost.addAll(batch);
        inflight = null;
        batch = new ArrayList<>();
        for (Pending p : lost) reject(p.request(), error);
        duplicatesAwaitingCommit.forEach(r -> reject(r, error));
        duplicatesAwaitingCommit.clear();
        drain();
        byte[] frame = errorFrame(error);
        for (BoardSubscriber s : subscribers.values()) {
            s.deliver(frame);
            s.evicted(board.id());
        }
        subscribers.clear();
        presence.clear();
        durableWaiters.clear();
        evictionListener.evicted(this);
    }

    private void ackDuplicate(Request r, long seq) {
        if (r.origin() != null) r.origin().deliver(ackFrame(r.cid(), seq));
        r.promise().tryComplete(seq);
    }

    private void reject(Request r, LinkboardException e) {
        observer.rejected(e.code());
        if (r.origin() != null) {
            JsonObject m = new JsonObject().put("type", "reject").put("board", board.id()).put("cid", r.cid())
                    .put("error", Errors.toJson(e));
            r.origin().deliver(m.toBuffer().getBytes());
        }
        r.promise().tryFail(e);
    }

    // ---- joining, leaving, presence ----------------------------------------------------------------

    /**
     * Joins a subscriber: writes the {@code joined} frame (ops form when {@code since} is covered by
     * the recent log, else snapshot form) and from then on every op. Fails with NOT_FOUND outside
     * the subscriber's read scope.
     */
    public Future<Void> join(BoardSubscriber s, Long since) {
        Promise<Void> promise = Promise.promise();
        onContext(() -> {
            if (broken || board.archived() || !access.canRead(s.principal(), board.unit())) {
                promise.fail(broken ? unavailable() : Errors.notFound("board " + board.id() + " not found"));
                return;
            }
            if (since != null && coversSince(since)) {
                JsonArray ops = new JsonArray();
                for (LoggedOp op : recent) {
                    if (op.seq() > since) ops.add(opEntry(op));
                }
                addSubscriber(s, new JsonObject().put("type", "joined").put("board", board.id())
                        .put("version", durableVersion).put("ops", ops));
                for (JsonObject m : decorator.catchUp(board.id())) s.deliver(m.toBuffer().getBytes());
                promise.complete();
            } else {
                whenDurable(() -> {
                    JsonObject snapshot = new JsonObject().put("items", new JsonObject(shownItems()));
                    addSubscriber(s, new JsonObject().put("type", "joined").put("board", board.id())
                            .put("version", state.version()).put("snapshot", snapshot));
                    promise.complete();
                });
            }
        });
        return promise.future();
    }

    private boolean coversSince(long since) {
        if (since < 0 || since > durableVersion) return false;
        if (since == durableVersion) return true;
        LoggedOp oldest = recent.peekFirst();
        return oldest != null && oldest.seq() <= since + 1;
    }

    private void addSubscriber(BoardSubscriber s, JsonObject joined) {
        JsonArray peers = new JsonArray();
        for (BoardSubscriber other : subscribers.values()) {
            if (other.sessionId().equals(s.sessionId())) continue;
            peers.add(new JsonObject().put("session", other.sessionId()).put("user", other.userRef())
                    .put("state", presence.getOrDefault(other.sessionId(), new JsonObject())));
        }
        joined.put("peers", peers);
        s.deliver(joined.toBuffer().getBytes());
        boolean rejoin = subscribers.put(s.sessionId(), s) != null;
        if (!rejoin) {
            presence.put(s.sessionId(), new JsonObject());
            broadcastExcept(s, presenceFrame(s, new JsonObject()));
        }
    }

    /** Removes the subscriber; peers are told it left. */
    public void leave(BoardSubscriber s) {
        onContext(() -> {
            if (subscribers.remove(s.sessionId()) != null) {
                presence.remove(s.sessionId());
                JsonObject left = new JsonObject().put("type", "presence").put("board", board.id())
                        .put("session", s.sessionId()).put("left", true);
                broadcastExcept(s, left.toBuffer().getBytes());
            }
        });
    }

    /** Forwards a presence state to the other subscribers (the session already coalesced it). */
    public void presence(BoardSubscriber s, JsonObject stateOfSession) {
        onContext(() -> {
            if (!subscribers.containsKey(s.sessionId())) return;
            presence.put(s.sessionId(), stateOfSession);
            broadcastExcept(s, presenceFrame(s, stateOfSession));
        });
    }

    private byte[] presenceFrame(BoardSubscriber s, JsonObject st) {
        return new JsonObject().put("type", "presence").put("board", board.id()).put("session", s.sessionId())
                .put("user", s.userRef()).put("state", st).toBuffer().getBytes();
    }

    /** Sends a frame to every subscriber (e.g. rollup changes pushed by the linkage). */
    public void broadcast(JsonObject message) {
        byte[] frame = message.toBuffer().getBytes();
        onContext(() -> subscribers.values().forEach(s -> s.deliver(frame)));
    }

    private void broadcastExcept(BoardSubscriber except, byte[] frame) {
        for (BoardSubscriber other : subscribers.values()) {
            if (other != except) other.deliver(frame);
        }
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    // ---- reads ------------------------------------------------------------------------------------

    /** {@code {"board","version","items"}} at the durable version. */
    public Future<JsonObject> snapshot(JsonObject boardJson) {
        // Derived members (rollups) follow durable ops a moment behind: let them take in what was acked.
        return decorator.settled().transform(ar -> snapshotNow(boardJson));
    }

    private Future<JsonObject> snapshotNow(JsonObject boardJson) {
        Promise<JsonObject> promise = Promise.promise();
        onContext(() -> {
            if (broken) {
                promise.fail(unavailable());
                return;
            }
            whenDurable(() -> promise.complete(new JsonObject().put("board", boardJson.put("version", state.version()))
                    .put("version", state.version()).put("items", new JsonObject(shownItems()))));
        });
        return promise.future();
    }

    /** Runs a read of the state at the durable version, on the actor's context. */
    public <T> Future<T> read(java.util.function.Function<BoardState, T> reader) {
        Promise<T> promise = Promise.promise();
        onContext(() -> whenDurable(() -> {
            try {
                promise.complete(reader.apply(state));
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        }));
        return promise.future();
    }

    /** Marks the board archived: it disappears for every subscriber, who is told NOT_FOUND. */
    public void archived(BoardRecord archivedRecord) {
        onContext(() -> {
            board = archivedRecord.withVersion(durableVersion);
            byte[] frame = errorFrame(Errors.notFound("board " + board.id() + " was archived"));
            for (BoardSubscriber s : subscribers.values()) {
                s.deliver(frame);
                s.evicted(board.id());
            }
            subscribers.clear();
            presence.clear();
        });
    }

    // ---- frames -----------------------------------------------------------------------------------

    private byte[] opFrame(LoggedOp op) {
        StringBuilder sb = new StringBuilder(op.opJson().length() + 96 + board.id().length());
        sb.append("{\"type\":\"op\",\"board\":");
        quote(sb, board.id());
        sb.append(",\"seq\":").append(op.seq()).append(",\"op\":").append(op.opJson()).append(",\"by\":");
        quote(sb, op.by());
        sb.append(",\"cid\":");
        quote(sb, op.cid());
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] ackFrame(String cid, long seq) {
        return ackFrame(cid, seq, null);
    }

    /** {@code {"pos"?, "stage"?, "author"?}} that completion added to the client's op, as JSON, or null. */
    static String assigned(Op original, Op completed) {
        JsonObject a = null;
        if (original instanceof Op.Create o && completed instanceof Op.Create c) {
            if (o.pos() == null && c.pos() != null) a = new JsonObject().put("pos", c.pos());
            Map<String, Object> of = o.fields() == null ? Map.of() : o.fields();
            if (!of.containsKey("stage") && c.fields() != null && c.fields().get("stage") != null) {
                a = (a == null ? new JsonObject() : a).put("stage", c.fields().get("stage"));
            }
            Object author = c.fields() == null ? null : c.fields().get(BuiltInTypes.AUTHOR_FIELD);
            if (author != null && !author.equals(of.get(BuiltInTypes.AUTHOR_FIELD))) {
                a = (a == null ? new JsonObject() : a).put(BuiltInTypes.AUTHOR_FIELD, author);
            }
        } else if (original instanceof Op.Move o && completed instanceof Op.Move c && o.pos() == null && c.pos() != null) {
            a = new JsonObject().put("pos", c.pos());
        }
        return a == null ? null : a.encode();
    }

    private byte[] ackFrame(String cid, long seq, String assignedJson) {
        StringBuilder sb = new StringBuilder(64 + board.id().length() + cid.length()
                + (assignedJson == null ? 0 : assignedJson.length() + 16));
        sb.append("{\"type\":\"ack\",\"board\":");
        quote(sb, board.id());
        sb.append(",\"cid\":");
        quote(sb, cid);
        sb.append(",\"seq\":").append(seq);
        if (assignedJson != null) sb.append(",\"assigned\":").append(assignedJson);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] errorFrame(LinkboardException e) {
        return new JsonObject().put("type", "error").put("board", board.id()).put("error", Errors.toJson(e))
                .toBuffer().getBytes();
    }

    static JsonObject opEntry(LoggedOp op) {
        return new JsonObject().put("seq", op.seq()).put("op", new JsonObject(op.opJson())).put("by", op.by())
                .put("cid", op.cid());
    }

    private static void quote(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        // Ids are plain; anything else (cids are client-chosen) goes through the JSON encoder.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                sb.append(io.vertx.core.json.Json.encode(s));
                return;
            }
        }
        sb.append('"').append(s).append('"');
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private void remember(LoggedOp op) {
        recent.addLast(op);
        if (recent.size() > RECENT_WINDOW) recent.removeFirst();
    }

    private static String cidKey(String user, String cid) {
        return user + '\n' + cid;
    }

    private static LinkboardException unavailable() {
        return new LinkboardException(ErrorCode.UNAVAILABLE, "the store cannot take writes now; nothing was applied");
    }

    private void onContext(Runnable action) {
        if (Context.isOnEventLoopThread() && io.vertx.core.Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Whether this actor was dropped after a failed commit and must be reloaded. */
    boolean broken() {
        return broken;
    }

    /** Flushes whatever is pending; completes when the state is durable (for shutdown). */
    public Future<Void> drainToStore() {
        Promise<Void> promise = Promise.promise();
        onContext(() -> {
            if (broken) {
                promise.complete();
                return;
            }
            whenDurable(() -> {
                if (state.version() > lastSnapshotVersion && state.version() - lastSnapshotVersion >= 100) {
                    saveSnapshot();
                }
                promise.complete();
            });
        });
        return promise.future();
    }
}
