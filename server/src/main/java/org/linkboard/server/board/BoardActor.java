package org.linkboard.server.board;

import io.vertx.core.AsyncResult;
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
import org.linkboard.server.cluster.ClusterBus;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.Store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 *
 * <p>Cluster mode ({@link ClusterBus#clustered()}): several nodes hold an actor for the same board
 * and the store's append is a compare-and-append. Besides the speculative {@code state}, the actor
 * keeps {@code committed}, the replica at the durable version, which every op of the log is applied
 * to in seq order, whether this node appended it or another did (announced over the bus, or read
 * back from the store when a gap or a CONFLICT shows that something was missed). When the log
 * moves under speculative ops (another node won the seq), they are rolled back: the state becomes
 * a copy of {@code committed}, their cids are forgotten, and their requests go back to the front
 * of the inbox to be validated again against the state they will really land on; a request acks
 * or rejects only once, at the end. A cid the store already holds (appended through another node)
 * comes back as a CONFLICT naming the original seq, which is then answered as a duplicate. Reads
 * and joins use {@code committed}, so they never wait for a commit. In embedded mode none of this
 * runs: {@code committed} is null and the flow is the single-node one above.
 */
public final class BoardActor {

    private static final Logger LOG = Logger.getLogger(BoardActor.class.getName());
    /** More than the contract's 10 000, so a client may resend a little older than that. */
    static final int CID_WINDOW = 16_384;
    /** Durable ops kept in memory to answer {@code join … since} without touching the store. */
    static final int RECENT_WINDOW = 10_000;
    /** The most ops a join {@code since} is answered with from the store instead of a snapshot. */
    static final int MAX_STORED_REPLAY = 100_000;
    /**
     * The most ops the recent log keeps for joins in progress ({@link #pins}): at 40 000 ops/s,
     * five seconds to encode a snapshot or read the stored ops; ~60 MB at most.
     */
    static final int PINNED_LIMIT = 200_000;
    /**
     * A join's catch-up of more ops than this is encoded on a worker: a couple of thousand op
     * frames take about a millisecond, a pinned recent log's 200 000 are ~50 MB.
     */
    static final int INLINE_CATCH_UP = 2_000;
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    /** How the registry is told that this actor is unusable and must be reloaded from the store. */
    interface EvictionListener {
        void evicted(BoardActor actor);
    }

    /** Appends retried after losing the seq race to other nodes, before the request gives up. */
    static final int MAX_CONFLICT_RETRIES = 50;

    private static final class Request {
        private final Principal by;
        private final String cid;
        private final Op op;
        private final BoardSubscriber origin;
        private final Promise<Long> promise;
        private final long submittedNanos;
        /** Cluster: how often its append lost the seq race (bounded by MAX_CONFLICT_RETRIES). */
        int conflicts;

        Request(Principal by, String cid, Op op, BoardSubscriber origin, Promise<Long> promise, long submittedNanos) {
            this.by = by;
            this.cid = cid;
            this.op = op;
            this.origin = origin;
            this.promise = promise;
            this.submittedNanos = submittedNanos;
        }

        long submittedNanos() {
            return submittedNanos;
        }

        Principal by() {
            return by;
        }

        String cid() {
            return cid;
        }

        Op op() {
            return op;
        }

        BoardSubscriber origin() {
            return origin;
        }

        Promise<Long> promise() {
            return promise;
        }
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
    private BoardState state;
    private long durableVersion;
    private long lastSnapshotVersion;

    private final CidWindow cids = new CidWindow(CID_WINDOW);
    private final RecentOps recent = new RecentOps();
    private final LinkedHashMap<String, BoardSubscriber> subscribers = new LinkedHashMap<>();
    /** Ops submitted and not yet acked or rejected (see {@link #saturated()}). */
    private final java.util.concurrent.atomic.AtomicInteger unsettled = new java.util.concurrent.atomic.AtomicInteger();
    /** Beyond this many unsettled ops the board is saturated: its writers hold off. */
    static final int MAX_UNSETTLED = 2_000;
    /** The subscribers as of the last join or leave, readable from any thread (see {@link #saturated()}). */
    private volatile BoardSubscriber[] readers = new BoardSubscriber[0];
    /** The subscribers by writer loop, as of the last join or leave: what each {@link Fanout} goes to. */
    private Fanout.Audience audience = Fanout.Audience.NONE;
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
    /** The last encoded items of a snapshot-form join (or the stored snapshot), reused while still current. */
    private EncodedItems encodedItems;

    /**
     * Items as JSON at a board version: {@code plain} (as stored, no derived members) or shown
     * (decorated at the decorator's {@code revision}).
     */
    private record EncodedItems(long version, boolean plain, long revision, byte[] json) {
    }

    /** The shown items being encoded for snapshot-form joins, or null. */
    private Encoding encoding;

    private record Encoding(long version, long revision, Future<byte[]> json) {
    }

    /**
     * Versions that joins in progress will continue from, with how many joins hold each: the recent
     * log keeps every op after the lowest of them (up to {@link #PINNED_LIMIT}), so a join whose
     * snapshot or stored ops took a while to prepare still finds the ops that landed meanwhile.
     */
    private final TreeMap<Long, Integer> pins = new TreeMap<>();

    // ---- cluster mode only (committed == null otherwise) ------------------------------------------
    private final ClusterBus cluster;
    /** The replica at {@code durableVersion}: every op of the log, from any node, in seq order. */
    private final BoardState committed;
    /** Announced ops beyond {@code durableVersion + 1}, waiting for the gap before them to fill. */
    private final TreeMap<Long, LoggedOp> remoteAhead = new TreeMap<>();
    /** The log moved under the speculative ops: roll back as soon as nothing is in flight. */
    private boolean stale;
    private boolean catchingUp;
    /** A catch-up was asked for while an append was in flight; it runs once the append settled. */
    private boolean catchUpWanted;
    /** A catch-up read failed (store unreachable): wait for a resync instead of retrying in a loop. */
    private boolean catchUpBlocked;
    /** Cids the store said it already holds (cid key → original seq), learnt from a refused append. */
    private final Map<String, Long> knownElsewhere = new LinkedHashMap<>();
    /**
     * Cids of the speculative ops (not durable yet), apart from {@code cids} (durable ones only):
     * a rollback then forgets exactly them, even when another node's op took the same seq.
     */
    private final Map<String, Long> speculativeCids;
    /** Appends this actor lost to another node (for metrics and the cluster benchmark). */
    private volatile long lostRaces;
    /** Presence of sessions joined to this board on other nodes: session → {session,user,state,node}. */
    private final Map<String, JsonObject> remotePeers = new LinkedHashMap<>();

    BoardActor(Context context, Store store, EventBus bus, AccessPolicy access, ItemTypes types, OpGate gate,
               int snapshotEvery, BoardRecord board, BoardState state, long lastSnapshotVersion,
               List<LoggedOp> recentOps, EvictionListener evictionListener, BoardObserver observer) {
        this(context, store, bus, access, types, gate, snapshotEvery, board, state, lastSnapshotVersion, recentOps,
                evictionListener, observer, ClusterBus.NONE);
    }

    BoardActor(Context context, Store store, EventBus bus, AccessPolicy access, ItemTypes types, OpGate gate,
               int snapshotEvery, BoardRecord board, BoardState state, long lastSnapshotVersion,
               List<LoggedOp> recentOps, EvictionListener evictionListener, BoardObserver observer, ClusterBus cluster) {
        this.cluster = cluster;
        this.committed = cluster.clustered() ? state.copy() : null;
        this.speculativeCids = cluster.clustered() ? new HashMap<>() : null;
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
            // In a cluster the log is read after the state, so it can hold ops another node
            // appended meanwhile; the catch-up after loading applies them, and remembers them then.
            if (op.seq() > state.version()) break;
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

    /** Where encoding too big for the event loop runs: a worker, unless a test holds or counts it. */
    interface Offload {
        /** Runs {@code work} off the actor's event loop; completes with its result on any thread. */
        <T> Future<T> run(java.util.concurrent.Callable<T> work);
    }

    private Offload offload = new Offload() {
        @Override
        public <T> Future<T> run(java.util.concurrent.Callable<T> work) {
            return context.owner().executeBlocking(work, false);
        }
    };

    void offloadWith(Offload offload) {
        this.offload = offload;
    }

    /**
     * The items as shown to readers at {@code at}, as JSON ({@link ShownItems}), encoded on a worker
     * from detached items: for a big board that takes a while, which the event loop it shares with
     * other boards and sessions must not wait for.
     */
    private Future<byte[]> shownItemsJson(BoardState at) {
        List<Item> detached = at.detachedItems();
        String boardId = board.id();
        SnapshotDecorator d = decorator;
        return offload.run(() -> ShownItems.json(boardId, detached, d));
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
        unsettled.incrementAndGet();
        promise.future().onComplete(ar -> unsettled.decrementAndGet());
        onContext(() -> {
            inbox.add(request);
            drain();
        });
        return promise.future();
    }

    private void drain() {
        while (!gateBusy && durableWaiters.isEmpty() && !snapshotDue && !broken && !stale && !catchingUp
                && !inbox.isEmpty()) {
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
        if (r.conflicts > MAX_CONFLICT_RETRIES) {
            reject(r, new LinkboardException(ErrorCode.UNAVAILABLE,
                    "the board is changing too fast on other nodes; nothing was applied, try again"));
            return;
        }
        String key = cidKey(r.by().userId(), r.cid());
        long seen = cids.seqOf(key);
        if (seen == CidWindow.ABSENT && speculativeCids != null) seen = speculativeCids.getOrDefault(key, CidWindow.ABSENT);
        if (seen != CidWindow.ABSENT) {
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
            if (committed != null) {
                confirmRejection(r, e);
            } else {
                reject(r, e);
            }
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
                } else if (stale) {
                    // Cluster: the log moved while the gate judged; judge again on the new state.
                    inbox.addFirst(r);
                    settle();
                    return;
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
        if (speculativeCids != null) {
            speculativeCids.put(cidKey, seq);
        } else {
            cids.put(cidKey, seq);
        }
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
        if (inflight != null || batch.isEmpty() || broken || stale || catchingUp) return;
        inflight = batch;
        batch = new ArrayList<>();
        List<LoggedOp> ops = new ArrayList<>(inflight.size());
        for (Pending p : inflight) ops.add(p.logged());
        store.append(board.id(), ops).onComplete(ar -> onContext(() -> {
            if (ar.succeeded()) {
                committed();
            } else if (committed == null) {
                fail(ar.cause());
            } else if (ar.cause() instanceof LinkboardException le && le.code() == ErrorCode.CONFLICT) {
                lostTheRace(le);
            } else {
                appendFailed(ar.cause());
            }
        }));
    }

    private void committed() {
        List<Pending> done = inflight;
        inflight = null;
        observer.committed(done.size());
        long now = System.nanoTime();
        // Each subscriber gets the batch's frames in one hand-over, written by its own loop.
        Fanout outgoing = new Fanout(2 * done.size());
        List<AppliedOp> applied = new ArrayList<>(done.size());
        for (Pending p : done) {
            LoggedOp op = p.logged();
            if (committed != null) {
                if (op.seq() != durableVersion + 1) {
                    // Cannot happen while the store compares versions; never serve a forked replica.
                    announce(applied, done, now);
                    fail(new IllegalStateException("board " + board.id() + ": committed seq " + op.seq()
                            + " does not follow " + durableVersion));
                    return;
                }
                committed.apply(p.op(), op.seq());
                catchUpBlocked = false;
                String key = cidKey(op.by(), op.cid());
                speculativeCids.remove(key, op.seq());
                if (op.cid() != null) cids.put(key, op.seq());
            }
            durableVersion = op.seq();
            remember(op);
            Request r = p.request();
            byte[] frame = opFrame(board.id(), op);
            BoardSubscriber origin = r.origin();
            outgoing.toAllBut(origin, frame);
            if (origin != null) {
                // The ack names what the server filled in (pos, stage), so the sender's replica
                // lands exactly where every other replica does, without echoing the whole op.
                outgoing.toOne(origin, ackFrame(r.cid(), op.seq(), assigned(r.op(), p.op())));
            }
            applied.add(new AppliedOp(board, op.seq(), p.op(), op.opJson(), op.by(), op.cid(), op.at(), p.changed()));
        }
        announce(applied, done, now);
        outgoing.send(audience);
        board = board.withVersion(durableVersion);
        resolveDuplicates();
        if (committed != null) {
            maybeSaveClusterSnapshot();
            applyRemoteAhead();
            settle();
            return;
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

    /**
     * Publishes the first {@code applied.size()} ops of {@code done} as one event, then answers
     * their submitters: whoever reads a derived view (linkage, rollups) after its answer finds the
     * op queued ahead of its read on the listener's context. One message per commit, not per op:
     * each message is a delivery, a task and a context switch per listener.
     */
    private void announce(List<AppliedOp> applied, List<Pending> done, long now) {
        if (applied.isEmpty()) return;
        bus.publish(AppliedOp.ADDRESS, new AppliedOps(List.copyOf(applied)), LOCAL);
        for (int i = 0; i < applied.size(); i++) {
            Request r = done.get(i).request();
            r.promise().tryComplete(applied.get(i).seq());
            observer.accepted(now - r.submittedNanos());
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

    private void resolveDuplicates() {
        if (duplicatesAwaitingCommit.isEmpty()) return;
        for (Iterator<Request> it = duplicatesAwaitingCommit.iterator(); it.hasNext(); ) {
            Request r = it.next();
            long seq = cids.seqOf(cidKey(r.by().userId(), r.cid()));
            if (seq != CidWindow.ABSENT && seq <= durableVersion) {
                it.remove();
                ackDuplicate(r, seq);
            }
        }
    }

    /** The state at the durable version: {@code committed} in cluster mode, else {@code state} at a durable point. */
    private BoardState durableState() {
        return committed != null ? committed : state;
    }

    /**
     * Runs {@code action} once the state equals the durable log, holding new ops back until then;
     * at once in cluster mode, which reads the committed replica, always at the durable version.
     * A broken actor runs it at once (and {@link #fail} runs those still waiting): every action
     * checks {@code broken} first and answers UNAVAILABLE, so no caller waits forever.
     */
    private void whenDurable(Runnable action) {
        if (broken || committed != null
                || (inflight == null && batch.isEmpty() && state.version() == durableVersion)) {
            action.run();
        } else {
            durableWaiters.add(action);
        }
    }

    private Future<Void> saveSnapshot() {
        BoardState at = durableState();
        long version = at.version();
        List<Item> detached = at.detachedItems();
        lastSnapshotVersion = version;
        // Built and encoded on a worker: a big board's snapshot would hold up this event loop for a while.
        return offload.run(() -> BoardState.encodeItems(detached))
                .compose(json -> store.saveSnapshot(board.id(), new Snapshot(version, json)))
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
        subscribersChanged();
        presence.clear();
        List<Runnable> waiters = new ArrayList<>(durableWaiters);
        durableWaiters.clear();
        waiters.forEach(Runnable::run);
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

    // ---- cluster mode -------------------------------------------------------------------------------

    /** Ops read back per store call while catching up. */
    private static final int CATCH_UP_PAGE = 2_000;

    /**
     * Cluster: another node's ops reached this node (in seq order). Applied to the committed
     * replica and delivered to the local subscribers; a gap is read from the store first.
     */
    public void remoteCommitted(List<LoggedOp> ops) {
        onContext(() -> {
            if (committed == null || broken) return;
            for (LoggedOp op : ops) {
                if (op.seq() > durableVersion) remoteAhead.put(op.seq(), op);
            }
            applyRemoteAhead();
            settle();
        });
    }

    /** The actor's flow state, for diagnostics (read on the actor's context). */
    Future<String> describe() {
        Promise<String> p = Promise.promise();
        onContext(() -> p.complete("durable=" + durableVersion + " state=" + state.version() + " inbox=" + inbox.size()
                + " batch=" + batch.size() + " inflight=" + (inflight == null ? "-" : inflight.size())
                + " gateBusy=" + gateBusy + " stale=" + stale + " catchingUp=" + catchingUp + " blocked=" + catchUpBlocked
                + " dupsWaiting=" + duplicatesAwaitingCommit.size() + " remoteAhead=" + remoteAhead.keySet()
                + " flushScheduled=" + flushScheduled + " waiters=" + durableWaiters.size() + " broken=" + broken));
        return p.future();
    }

    /** Cluster: how many of this actor's appends lost the seq race to another node. */
    public long lostRaces() {
        return lostRaces;
    }

    /** Cluster: something may have been missed (the bus reconnected, the actor just loaded): read the log tail. */
    public void resync() {
        onContext(() -> {
            if (committed == null || broken) return;
            catchUpBlocked = false;
            catchUp();
        });
    }

    /**
     * Cluster: tells this node's replicated views that the board is now followed here, with a
     * {@link AppliedOp#REPLICATED_ADDRESS} event whose {@code op} is null and whose {@code changed}
     * holds every item at the loaded version: ops appended elsewhere before this node loaded the
     * board were never replicated here one by one.
     */
    public void announceLoaded() {
        onContext(() -> {
            if (committed == null || broken) return;
            Map<String, Item> all = new LinkedHashMap<>();
            for (Item item : committed.items().values()) all.put(item.id(), item.copy());
            bus.publish(AppliedOp.REPLICATED_ADDRESS,
                    new AppliedOp(board, durableVersion, null, null, null, null, System.currentTimeMillis(), all), LOCAL);
        });
    }

    /** Cluster: asks the other nodes for the sessions they have on this board (after loading it here). */
    public void askWhoIsHere() {
        onContext(() -> publishToCluster(new JsonObject().put("k", "who")));
    }

    /** The append lost the seq race (or repeated a cid the store holds): catch up, roll back, retry. */
    private void lostTheRace(LinkboardException conflict) {
        if (conflict.details().get("version") instanceof Number stored && stored.longValue() < durableVersion) {
            // The log is behind what this node saw committed (Redis lost data, e.g. a failover to a
            // lagging replica): this replica cannot be trusted; reload the board from the store.
            fail(new LinkboardException(ErrorCode.UNAVAILABLE, "board " + board.id() + ": the store is at version "
                    + stored + " but this node saw " + durableVersion + " committed"));
            return;
        }
        List<Pending> failed = inflight;
        inflight = null;
        List<Pending> again = new ArrayList<>(failed.size() + batch.size());
        again.addAll(failed);
        again.addAll(batch);
        batch = again;
        for (Pending p : failed) p.request().conflicts++;
        lostRaces++;
        if ("duplicate-cid".equals(conflict.details().get("reason"))
                && conflict.details().get("index") instanceof Number index
                && conflict.details().get("seq") instanceof Number seq
                && index.intValue() >= 0 && index.intValue() < failed.size()) {
            Request r = failed.get(index.intValue()).request();
            knownElsewhere.put(cidKey(r.by().userId(), r.cid()), seq.longValue());
        }
        stale = true;
        catchUpBlocked = false;
        catchUp();
    }

    /**
     * Cluster: the append failed for another reason (store unreachable, timeout). Its ops are
     * rejected as UNAVAILABLE and rolled back; the actor stays (reads and joins go on). Whether a
     * timed-out append still landed is learnt from the log: the next append's compare step fails
     * and the actor catches up.
     */
    private void appendFailed(Throwable cause) {
        LinkboardException error = cause instanceof LinkboardException le && le.code() == ErrorCode.UNAVAILABLE
                ? le : unavailable();
        LOG.log(Level.FINE, "board " + board.id() + ": append failed", cause);
        List<Pending> lost = new ArrayList<>(inflight);
        lost.addAll(batch);
        inflight = null;
        batch = new ArrayList<>();
        speculativeCids.clear();
        for (Pending p : lost) reject(p.request(), error);
        for (Request r : duplicatesAwaitingCommit) reject(r, error);
        duplicatesAwaitingCommit.clear();
        state = committed.copy();
        stale = false;
        settle();
    }

    /**
     * Cluster: before rejecting an op as invalid, make sure the verdict is not an artefact of a
     * replica behind the log (an item created through another node a moment ago, announced but
     * not arrived yet) nor a resend of an op this node has forgotten: the store is asked for the
     * cid and the board's version. A known cid is answered as a duplicate; a store ahead of this
     * replica means catch up and judge again. Only the rejection path pays the round trips;
     * intake waits meanwhile, so ops stay in order.
     */
    private void confirmRejection(Request r, LinkboardException verdict) {
        gateBusy = true;
        store.findByCid(board.id(), r.by().userId(), r.cid())
                .compose(original -> original != null ? Future.succeededFuture(original.seq())
                        : store.getBoard(board.id()).map(b -> b == null ? null : -b.version()))
                .onComplete(ar -> onContext(() -> {
                    gateBusy = false;
                    // Positive: the seq of the original op; negative: minus the stored version.
                    Long answer = ar.succeeded() ? ar.result() : null;
                    if (answer != null && answer > 0 && answer <= durableVersion) {
                        ackDuplicate(r, answer);
                    } else if (answer != null && Math.abs(answer) > durableVersion && r.conflicts++ < MAX_CONFLICT_RETRIES) {
                        inbox.addFirst(r);
                        catchUpBlocked = false;
                        catchUp();
                    } else if (stale && r.conflicts++ < MAX_CONFLICT_RETRIES) {
                        inbox.addFirst(r);
                    } else {
                        reject(r, verdict);
                    }
                    settle();
                }));
    }

    /** Cluster: the speculative state gives way to the committed one; its requests go back in line. */
    private void rollBack() {
        List<Request> again = new ArrayList<>(batch.size() + duplicatesAwaitingCommit.size());
        for (Pending p : batch) again.add(p.request());
        speculativeCids.clear();
        batch = new ArrayList<>();
        again.addAll(duplicatesAwaitingCommit);
        duplicatesAwaitingCommit.clear();
        for (int i = again.size() - 1; i >= 0; i--) inbox.addFirst(again.get(i));
        for (Map.Entry<String, Long> e : knownElsewhere.entrySet()) {
            if (e.getValue() <= durableVersion) cids.put(e.getKey(), e.getValue());
        }
        knownElsewhere.clear();
        state = committed.copy();
        stale = false;
    }

    /** Cluster: after any event, decide what comes next: wait, roll back, catch up, flush or take ops. */
    private void settle() {
        if (broken || inflight != null || gateBusy || catchingUp) return;
        if (catchUpWanted) {
            catchUp();
            return;
        }
        if (!remoteAhead.isEmpty() && remoteAhead.firstKey() > durableVersion + 1 && !catchUpBlocked) {
            catchUp();
            return;
        }
        if (stale) rollBack();
        if (!batch.isEmpty()) {
            if (!flushScheduled) flush();
            return;
        }
        if (!durableWaiters.isEmpty()) {
            List<Runnable> waiters = new ArrayList<>(durableWaiters);
            durableWaiters.clear();
            waiters.forEach(Runnable::run);
        }
        drain();
    }

    /** Reads the log after {@code durableVersion} from the store and applies it (pages until done). */
    private void catchUp() {
        if (catchingUp || committed == null) return;
        if (inflight != null) {
            // The log may already hold the in-flight ops: reading now would take them for another
            // node's. Read once the append has answered.
            catchUpWanted = true;
            return;
        }
        catchUpWanted = false;
        catchingUp = true;
        store.readOps(board.id(), durableVersion, CATCH_UP_PAGE).onComplete(ar -> onContext(() -> {
            catchingUp = false;
            if (ar.failed()) {
                LOG.log(Level.FINE, "board " + board.id() + ": catch-up read failed", ar.cause());
                catchUpBlocked = true;
                settle();
                return;
            }
            List<LoggedOp> ops = ar.result();
            for (LoggedOp op : ops) {
                if (op.seq() == durableVersion + 1) applyRemote(op);
            }
            board = board.withVersion(durableVersion);
            if (ops.size() == CATCH_UP_PAGE) {
                catchUp();
                return;
            }
            applyRemoteAhead();
            settle();
        }));
    }

    /** Applies the announced ops that follow the durable version without a gap. */
    private void applyRemoteAhead() {
        while (!remoteAhead.isEmpty()) {
            Map.Entry<Long, LoggedOp> first = remoteAhead.firstEntry();
            if (first.getKey() <= durableVersion) {
                remoteAhead.pollFirstEntry();
            } else if (inflight != null && first.getKey() <= inflight.get(inflight.size() - 1).logged().seq()) {
                // A seq the in-flight append claims: whose op it is, the append's answer tells.
                break;
            } else if (first.getKey() == durableVersion + 1) {
                remoteAhead.pollFirstEntry();
                applyRemote(first.getValue());
            } else {
                break;
            }
        }
        board = board.withVersion(durableVersion);
        resolveDuplicates();
    }

    /** One op another node appended, at {@code durableVersion + 1}: replicate and deliver it. */
    private void applyRemote(LoggedOp op) {
        Op decoded;
        try {
            decoded = OpCodec.decode(new JsonObject(op.opJson()));
        } catch (RuntimeException e) {
            // The log holds only ops this code wrote; applying nothing keeps every replica equal.
            LOG.log(Level.WARNING, "board " + board.id() + ": op " + op.seq() + " unreadable, applied as a no-op", e);
            decoded = null;
        }
        boolean inSync = !stale && !gateBusy && inflight == null && batch.isEmpty() && state.version() == durableVersion;
        List<String> changedIds = committed.apply(decoded, op.seq());
        if (inSync) {
            state.apply(decoded, op.seq());
        } else {
            stale = true;
        }
        durableVersion = op.seq();
        remember(op);
        if (op.cid() != null) cids.put(cidKey(op.by(), op.cid()), op.seq());
        byte[] frame = opFrame(board.id(), op);
        for (BoardSubscriber s : subscribers.values()) s.deliver(frame);
        if (decoded != null) {
            Map<String, Item> changed = new LinkedHashMap<>(changedIds.size() * 2);
            for (String id : changedIds) {
                Item item = committed.item(id);
                changed.put(id, item == null ? null : item.copy());
            }
            bus.publish(AppliedOp.REPLICATED_ADDRESS,
                    new AppliedOp(board, op.seq(), decoded, op.opJson(), op.by(), op.cid(), op.at(), changed), LOCAL);
        }
    }

    private void maybeSaveClusterSnapshot() {
        if (durableVersion - lastSnapshotVersion >= Math.max(snapshotEvery, committed.items().size())) {
            saveSnapshot();
        }
    }

    /**
     * Cluster: a board message from another node: {@code presence} / {@code left} of its sessions,
     * a {@code frame} for every subscriber (e.g. a rollup), or {@code archived}.
     */
    public void remoteMessage(JsonObject m) {
        onContext(() -> {
            if (broken) return;
            String kind = m.getString("k", "");
            switch (kind) {
                case "presence" -> {
                    String session = m.getString("session");
                    JsonObject st = m.getJsonObject("state", new JsonObject());
                    JsonObject user = m.getJsonObject("user", new JsonObject());
                    remotePeers.put(session, new JsonObject().put("session", session).put("user", user)
                            .put("state", st).put("node", m.getString("node")));
                    byte[] frame = new JsonObject().put("type", "presence").put("board", board.id())
                            .put("session", session).put("user", user).put("state", st).toBuffer().getBytes();
                    subscribers.values().forEach(s -> s.deliver(frame));
                }
                case "left" -> remotePeerLeft(m.getString("session"));
                case "who" -> {
                    // A node just loaded this board: tell it who is here.
                    for (BoardSubscriber s : subscribers.values()) {
                        publishToCluster(new JsonObject().put("k", "presence").put("session", s.sessionId())
                                .put("user", s.userRef()).put("state", presence.getOrDefault(s.sessionId(), new JsonObject())));
                    }
                }
                case "frame" -> {
                    byte[] frame = m.getJsonObject("frame", new JsonObject()).toBuffer().getBytes();
                    subscribers.values().forEach(s -> s.deliver(frame));
                }
                default -> LOG.fine("board " + board.id() + ": unknown cluster message " + kind);
            }
        });
    }

    /** Cluster: a node went away; its sessions leave this board's presence. */
    public void nodeGone(String nodeId) {
        onContext(() -> {
            List<String> gone = new ArrayList<>();
            remotePeers.forEach((session, peer) -> {
                if (nodeId.equals(peer.getString("node"))) gone.add(session);
            });
            gone.forEach(this::remotePeerLeft);
        });
    }

    private void remotePeerLeft(String session) {
        if (session == null || remotePeers.remove(session) == null) return;
        byte[] frame = new JsonObject().put("type", "presence").put("board", board.id()).put("session", session)
                .put("left", true).toBuffer().getBytes();
        subscribers.values().forEach(s -> s.deliver(frame));
    }

    private void publishToCluster(JsonObject m) {
        if (cluster.clustered()) cluster.publish("board", m.put("b", board.id()).put("node", cluster.nodeId()));
    }

    // ---- joining, leaving, presence ----------------------------------------------------------------

    /**
     * Why {@code s} may not join now (a broken actor, an archived board, a board outside its read
     * scope), or null; checked when a join starts and again when its prepared part comes back.
     */
    private LinkboardException refusal(BoardSubscriber s) {
        if (broken) return unavailable();
        if (board.archived() || !access.canRead(s.principal(), board.unit())) {
            return Errors.notFound("board " + board.id() + " not found");
        }
        return null;
    }

    /**
     * Joins a subscriber: writes the {@code joined} frame (ops form when {@code since} is covered by
     * the recent log, else snapshot form) and from then on every op. Fails with NOT_FOUND outside
     * the subscriber's read scope.
     */
    public Future<Void> join(BoardSubscriber s, Long since) {
        Promise<Void> promise = Promise.promise();
        onContext(() -> {
            LinkboardException refused = refusal(s);
            if (refused != null) {
                promise.fail(refused);
                return;
            }
            if (since != null && coversSince(since)) {
                joinWithOps(s, since, promise);
            } else if (since != null && replayableFromStore(since)) {
                joinFromStoredLog(s, since, promise);
            } else {
                whenDurable(() -> joinWithSnapshot(s, promise));
            }
        });
        return promise.future();
    }

    /**
     * The ops form of a join from the recent log: its durable ops after {@code since}, encoded on a
     * worker when they are many (a rejoin while joins pin the log can be 200 000 ops behind).
     */
    private void joinWithOps(BoardSubscriber s, long since, Promise<Void> promise) {
        List<LoggedOp> ops = recent.after(since);
        long version = durableVersion;
        pin(version);
        Future<byte[]> opsJson = ops.size() <= INLINE_CATCH_UP ? Future.succeededFuture(opsArray(ops)) : offload.run(() -> opsArray(ops));
        opsJson.onComplete(ar -> onContext(() -> {
            try {
                joinWithEncodedOps(s, promise, version, ar);
            } finally {
                unpin(version);
            }
        }));
    }

    /** The rollups and other derived state a client joining with the ops form has not seen change. */
    private void deliverCatchUp(BoardSubscriber s) {
        for (JsonObject m : decorator.catchUp(board.id())) s.deliver(m.toBuffer().getBytes());
    }

    /**
     * Whether a join {@code since} older than the recent log is better answered with the ops it
     * missed, read from the store, than with a snapshot: a client cut off as a slow reader on a big
     * board is typically a few thousand ops behind, and a snapshot of a million items would cost
     * far more to build, send and apply. Only when the ops are fewer than the items and bounded.
     */
    private boolean replayableFromStore(long since) {
        long missed = durableVersion - since;
        return since >= 0 && missed > 0 && missed <= Math.min(MAX_STORED_REPLAY, state.items().size());
    }

    /**
     * Reads the ops between {@code since} and the recent log from the store and encodes them on a
     * worker (up to 100 000 ops are tens of MB of JSON, which would hold this loop for tens of ms),
     * then joins with a {@code joined} at the last of them; the recent log's ops follow as op frames.
     */
    private void joinFromStoredLog(BoardSubscriber s, long since, Promise<Void> promise) {
        long upTo = recent.isEmpty() ? durableVersion : recent.oldestSeq() - 1;
        int wanted = (int) (upTo - since);
        pin(upTo);
        store.readOps(board.id(), since, wanted)
                .compose(stored -> {
                    boolean contiguous = stored.size() == wanted && wanted > 0
                            && stored.get(0).seq() == since + 1 && stored.get(wanted - 1).seq() == upTo;
                    return contiguous ? offload.run(() -> opsArray(stored))
                            : Future.<byte[]>succeededFuture(null);
                })
                .onComplete(ar -> onContext(() -> {
                    try {
                        joinWithEncodedOps(s, promise, upTo, ar);
                    } finally {
                        unpin(upTo);
                    }
                }));
    }

    /** Continues an ops-form join whose ops up to {@code upTo} were encoded off the loop. */
    private void joinWithEncodedOps(BoardSubscriber s, Promise<Void> promise, long upTo, AsyncResult<byte[]> ar) {
        LinkboardException refused = refusal(s);
        if (refused != null) {
            promise.fail(refused);
        } else if (ar.succeeded() && ar.result() != null && coversSince(upTo)) {
            byte[] opsJson = ar.result();
            addSubscriberAt(s, upTo, peers -> joinedFrame(upTo, peers, OPS_BODY, opsJson, OPS_BODY_END), () -> deliverCatchUp(s), promise);
        } else {
            // The log no longer holds them (or more went by while reading than even a pinned recent log keeps): a snapshot.
            if (ar.failed()) LOG.fine(() -> "board " + board.id() + ": reading ops for a join failed: " + ar.cause());
            whenDurable(() -> joinWithSnapshot(s, promise));
        }
    }

    /** {@code [{"seq","op","by","cid"}…]}, built from the logged JSON; touches no actor state. */
    private static byte[] opsArray(List<LoggedOp> ops) {
        StringBuilder sb = new StringBuilder(2 + ops.size() * 224).append('[');
        for (int i = 0; i < ops.size(); i++) {
            LoggedOp op = ops.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"seq\":").append(op.seq()).append(",\"op\":").append(op.opJson()).append(",\"by\":");
            quote(sb, op.by());
            sb.append(",\"cid\":");
            quote(sb, op.cid());
            sb.append('}');
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The snapshot form of a join. Encoding a big board's items takes a while (11 MiB for 100 000
     * cards), so it runs on a worker and its result is kept for the next join at the same version
     * (and revision of derived members); joins that arrive while an encoding is running wait for
     * that one. The ops that become durable meanwhile are pinned in the recent log and follow the
     * {@code joined} frame, as they would after a {@code since} join: on a busy board more of them
     * than the recent log holds land while a million items are encoded, and encoding again at the
     * newer version would only lose that race again.
     */
    private void joinWithSnapshot(BoardSubscriber s, Promise<Void> promise) {
        if (broken) {
            promise.fail(unavailable());
            return;
        }
        BoardState at = durableState();
        long revision = decorator.revision(board.id());
        EncodedItems cached = encodedItems;
        if (cached != null && cached.version() == at.version() && revision != SnapshotDecorator.UNCACHEABLE
                && (cached.plain() ? !decorator.decorates(board.id(), at.items().values()) : cached.revision() == revision)) {
            long version = cached.version();
            addSubscriberAt(s, version, peers -> joinedFrame(version, peers, SNAPSHOT_BODY, cached.json(), SNAPSHOT_BODY_END), () -> { }, promise);
            return;
        }
        Encoding running = encoding;
        if (running == null || revision == SnapshotDecorator.UNCACHEABLE || running.revision() != revision) {
            running = encode(at, revision);
        }
        long version = running.version();
        pin(version);
        running.json().onComplete(ar -> onContext(() -> {
            try {
                joinEncoded(s, promise, version, ar);
            } finally {
                unpin(version);
            }
        }));
    }

    private void joinEncoded(BoardSubscriber s, Promise<Void> promise, long version, AsyncResult<byte[]> ar) {
        LinkboardException refused = ar.failed() ? null : refusal(s);
        if (ar.failed()) {
            promise.fail(Errors.normalize(ar.cause()));
        } else if (refused != null) {
            promise.fail(refused);
        } else if (coversSince(version)) {
            byte[] itemsJson = ar.result();
            addSubscriberAt(s, version, peers -> joinedFrame(version, peers, SNAPSHOT_BODY, itemsJson, SNAPSHOT_BODY_END), () -> { }, promise);
        } else {
            // More ops went by while encoding than even a pinned recent log keeps: encode again.
            whenDurable(() -> joinWithSnapshot(s, promise));
        }
    }

    /** Starts encoding the shown items at {@code at}; joins arriving meanwhile share it. */
    private Encoding encode(BoardState at, long revision) {
        Encoding started = new Encoding(at.version(), revision, shownItemsJson(at));
        encoding = started;
        started.json().onComplete(ar -> onContext(() -> {
            if (encoding == started) encoding = null;
            if (ar.succeeded() && revision != SnapshotDecorator.UNCACHEABLE
                    && (encodedItems == null || encodedItems.version() <= started.version())) {
                encodedItems = new EncodedItems(started.version(), false, revision, ar.result());
            }
        }));
        return started;
    }

    /**
     * Adds a subscriber with a {@code joined} at {@code version}, then the frames of the durable ops
     * after it; runs {@code then} and completes {@code promise} (see the method below).
     */
    private void addSubscriberAt(BoardSubscriber s, long version, java.util.function.Function<JsonArray, byte[]> joined,
                                 Runnable then, Promise<Void> promise) {
        addSubscriberAt(s, version, joined, new ArrayList<>(), then, promise);
    }

    /**
     * Adds a subscriber with a {@code joined} at {@code version}, then the op frames {@code encoded}
     * (already built, after {@code version}) and those of the durable ops after them, runs
     * {@code then} and completes {@code promise}. When the ops after are many (all that landed
     * while a big snapshot was encoded, say) their frames are built on a worker, with the ops
     * after them pinned, and this runs again for the few that landed meanwhile.
     */
    private void addSubscriberAt(BoardSubscriber s, long version, java.util.function.Function<JsonArray, byte[]> joined,
                                 List<byte[]> encoded, Runnable then, Promise<Void> promise) {
        List<LoggedOp> missed = recent.after(version);
        String boardId = board.id();
        if (missed.size() <= INLINE_CATCH_UP) {
            encoded.addAll(opFrames(boardId, missed));
            addSubscriber(s, joined, encoded);
            then.run();
            promise.complete();
            return;
        }
        long upTo = missed.get(missed.size() - 1).seq();
        pin(upTo);
        offload.run(() -> opFrames(boardId, missed)).onComplete(ar -> onContext(() -> {
            try {
                LinkboardException refused = refusal(s);
                if (refused != null) {
                    promise.fail(refused);
                } else if (ar.failed()) {
                    promise.fail(Errors.normalize(ar.cause()));
                } else if (!coversSince(upTo)) {
                    // More went by meanwhile than even a pinned recent log keeps.
                    whenDurable(() -> joinWithSnapshot(s, promise));
                } else {
                    encoded.addAll(ar.result());
                    addSubscriberAt(s, upTo, joined, encoded, then, promise);
                }
            } finally {
                unpin(upTo);
            }
        }));
    }

    private static List<byte[]> opFrames(String boardId, List<LoggedOp> ops) {
        List<byte[]> frames = new ArrayList<>(ops.size());
        for (LoggedOp op : ops) frames.add(opFrame(boardId, op));
        return frames;
    }

    private static final String SNAPSHOT_BODY = ",\"snapshot\":{\"items\":";
    private static final byte[] SNAPSHOT_BODY_END = {'}', '}'};
    private static final String OPS_BODY = ",\"ops\":";
    private static final byte[] OPS_BODY_END = {'}'};

    /**
     * {@code {"type":"joined","board","version","peers",…}} around an already encoded body (the
     * items of the snapshot form, the ops array of the ops form), which is copied once, not re-encoded.
     */
    private byte[] joinedFrame(long version, JsonArray peers, String bodyOpen, byte[] body, byte[] end) {
        StringBuilder head = new StringBuilder(96 + board.id().length()).append("{\"type\":\"joined\",\"board\":");
        quote(head, board.id());
        head.append(",\"version\":").append(version).append(",\"peers\":").append(peers.encode()).append(bodyOpen);
        byte[] prefix = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[prefix.length + body.length + end.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(body, 0, frame, prefix.length, body.length);
        System.arraycopy(end, 0, frame, prefix.length + body.length, end.length);
        return frame;
    }

    /** Keeps the stored snapshot's JSON for joins while the board is still at its version (a fresh load). */
    void adoptStoredItems(long version, byte[] itemsJson) {
        if (version == durableVersion) encodedItems = new EncodedItems(version, true, 0, itemsJson);
    }

    private boolean coversSince(long since) {
        if (since < 0 || since > durableVersion) return false;
        if (since == durableVersion) return true;
        return !recent.isEmpty() && recent.oldestSeq() <= since + 1;
    }

    /**
     * Writes the {@code joined} frame {@code frame} builds around the peers and the op frames
     * {@code missed} after its version, as the subscriber's catch-up, then subscribes.
     */
    private void addSubscriber(BoardSubscriber s, java.util.function.Function<JsonArray, byte[]> frame, List<byte[]> missed) {
        JsonArray peers = new JsonArray();
        for (BoardSubscriber other : subscribers.values()) {
            if (other.sessionId().equals(s.sessionId())) continue;
            peers.add(new JsonObject().put("session", other.sessionId()).put("user", other.userRef())
                    .put("state", presence.getOrDefault(other.sessionId(), new JsonObject())));
        }
        for (JsonObject peer : remotePeers.values()) {
            peers.add(new JsonObject().put("session", peer.getString("session")).put("user", peer.getJsonObject("user"))
                    .put("state", peer.getJsonObject("state")));
        }
        List<byte[]> catchUp = new ArrayList<>(1 + missed.size());
        catchUp.add(frame.apply(peers));
        catchUp.addAll(missed);
        s.deliverCatchUp(catchUp);
        boolean rejoin = subscribers.put(s.sessionId(), s) != null;
        subscribersChanged();
        if (!rejoin) {
            presence.put(s.sessionId(), new JsonObject());
            broadcastExcept(s, presenceFrame(s, new JsonObject()));
            publishToCluster(new JsonObject().put("k", "presence").put("session", s.sessionId())
                    .put("user", s.userRef()).put("state", new JsonObject()));
        }
    }

    /** Removes the subscriber; peers are told it left. */
    public void leave(BoardSubscriber s) {
        onContext(() -> {
            if (subscribers.remove(s.sessionId()) != null) {
                subscribersChanged();
                presence.remove(s.sessionId());
                JsonObject left = new JsonObject().put("type", "presence").put("board", board.id())
                        .put("session", s.sessionId()).put("left", true);
                broadcastExcept(s, left.toBuffer().getBytes());
                publishToCluster(new JsonObject().put("k", "left").put("session", s.sessionId()));
            }
        });
    }

    /** Forwards a presence state to the other subscribers (the session already coalesced it). */
    public void presence(BoardSubscriber s, JsonObject stateOfSession) {
        onContext(() -> {
            if (!subscribers.containsKey(s.sessionId())) return;
            presence.put(s.sessionId(), stateOfSession);
            broadcastExcept(s, presenceFrame(s, stateOfSession));
            publishToCluster(new JsonObject().put("k", "presence").put("session", s.sessionId())
                    .put("user", s.userRef()).put("state", stateOfSession));
        });
    }

    private byte[] presenceFrame(BoardSubscriber s, JsonObject st) {
        return new JsonObject().put("type", "presence").put("board", board.id()).put("session", s.sessionId())
                .put("user", s.userRef()).put("state", st).toBuffer().getBytes();
    }

    /**
     * Sends a frame to every subscriber (e.g. rollup changes pushed by the linkage), on every node
     * of a cluster: call it on one node per change (the one that saw the {@link AppliedOp}).
     */
    public void broadcast(JsonObject message) {
        byte[] frame = message.toBuffer().getBytes();
        onContext(() -> subscribers.values().forEach(s -> s.deliver(frame)));
        if (cluster.clustered()) {
            cluster.publish("board", new JsonObject().put("b", board.id()).put("k", "frame").put("frame", message.copy()));
        }
    }

    private void broadcastExcept(BoardSubscriber except, byte[] frame) {
        Fanout out = new Fanout(1);
        out.toAllBut(except, frame);
        out.send(audience);
    }

    /**
     * Whether writers should hold off (their sessions stop reading ops until this clears): more
     * than {@link #MAX_UNSETTLED} ops wait to be sequenced and made durable, or most of this
     * board's readers are not keeping up with what it sends them. Either way the machine, not one
     * client, is short, and slowing writers keeps queues bounded instead of growing until readers
     * are cut off (4408). One slow reader alone never holds a board back; it is disconnected
     * instead. Any thread.
     */
    public boolean saturated() {
        if (unsettled.get() > MAX_UNSETTLED) return true;
        BoardSubscriber[] rs = readers;
        if (rs.length < 2) return false;
        int congested = 0;
        for (BoardSubscriber r : rs) {
            if (r.congested() && ++congested * 2 > rs.length) return true;
        }
        return false;
    }

    /** Refreshes {@link #readers} (the copy other threads read) and {@link #audience}; after every change. */
    private void subscribersChanged() {
        readers = subscribers.values().toArray(new BoardSubscriber[0]);
        audience = Fanout.Audience.of(readers);
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
            whenDurable(() -> {
                if (broken) {
                    promise.fail(unavailable());
                    return;
                }
                BoardState at = durableState();
                long version = at.version();
                List<Item> detached = at.detachedItems();
                String boardId = board.id();
                SnapshotDecorator d = decorator;
                offload.run(() -> new JsonObject().put("board", boardJson.put("version", version))
                                .put("version", version).put("items", new JsonObject(ShownItems.maps(boardId, detached, d))))
                        .onComplete(ar -> onContext(() -> promise.handle(ar)));
            });
        });
        return promise.future();
    }

    /** Runs a read of the state at the durable version, on the actor's context. */
    public <T> Future<T> read(java.util.function.Function<BoardState, T> reader) {
        Promise<T> promise = Promise.promise();
        onContext(() -> whenDurable(() -> {
            if (broken) {
                promise.fail(unavailable());
                return;
            }
            try {
                promise.complete(reader.apply(durableState()));
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
            subscribersChanged();
            presence.clear();
        });
    }

    // ---- frames -----------------------------------------------------------------------------------

    private static byte[] opFrame(String boardId, LoggedOp op) {
        StringBuilder sb = new StringBuilder(op.opJson().length() + 96 + boardId.length());
        sb.append("{\"type\":\"op\",\"board\":");
        quote(sb, boardId);
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
        // Built by hand: it runs for nearly every ack (creates without pos), and a JsonObject plus
        // an encoder per ack showed in the profile.
        StringBuilder a = null;
        if (original instanceof Op.Create o && completed instanceof Op.Create c) {
            if (o.pos() == null && c.pos() != null) a = member(null, "pos", c.pos());
            Map<String, Object> of = o.fields() == null ? Map.of() : o.fields();
            if (!of.containsKey("stage") && c.fields() != null && c.fields().get("stage") != null) {
                a = member(a, "stage", c.fields().get("stage"));
            }
            Object author = c.fields() == null ? null : c.fields().get(BuiltInTypes.AUTHOR_FIELD);
            if (author != null && !author.equals(of.get(BuiltInTypes.AUTHOR_FIELD))) {
                a = member(a, BuiltInTypes.AUTHOR_FIELD, author);
            }
        } else if (original instanceof Op.Move o && completed instanceof Op.Move c && o.pos() == null && c.pos() != null) {
            a = member(null, "pos", c.pos());
        }
        return a == null ? null : a.append('}').toString();
    }

    private static StringBuilder member(StringBuilder sb, String name, Object value) {
        StringBuilder out = sb == null ? new StringBuilder(32).append('{') : sb.append(',');
        quote(out, name);
        out.append(':');
        if (value instanceof String str) {
            quote(out, str);
        } else {
            out.append(io.vertx.core.json.Json.encode(value));
        }
        return out;
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
        recent.add(op);
        trimRecent();
    }

    /** Drops the oldest recent ops beyond the window that no join in progress needs. */
    private void trimRecent() {
        while (recent.size() > RECENT_WINDOW
                && (pins.isEmpty() || recent.oldestSeq() <= pins.firstKey() || recent.size() > PINNED_LIMIT)) {
            recent.removeOldest();
        }
    }

    /** Keeps the ops after {@code version} in the recent log until {@link #unpin}; on the actor's context. */
    private void pin(long version) {
        pins.merge(version, 1, Integer::sum);
    }

    private void unpin(long version) {
        pins.computeIfPresent(version, (v, n) -> n == 1 ? null : n - 1);
        trimRecent();
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
            Runnable flushed = () -> {
                if (broken) {
                    promise.complete();
                    return;
                }
                BoardState at = durableState();
                if (at.version() > lastSnapshotVersion && at.version() - lastSnapshotVersion >= 100) {
                    // Wait for it: the store closes right after the drain.
                    saveSnapshot().onComplete(ar -> promise.complete());
                } else {
                    promise.complete();
                }
            };
            if (committed != null) {
                // Cluster: wait for the ops in flight (their requests are acked or rejected then).
                if (inflight == null && batch.isEmpty() && !gateBusy && !catchingUp) {
                    flushed.run();
                } else {
                    durableWaiters.add(flushed);
                }
                return;
            }
            whenDurable(flushed);
        });
        return promise.future();
    }
}
