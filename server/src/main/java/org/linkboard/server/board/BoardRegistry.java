package org.linkboard.server.board;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds or loads the {@link BoardActor} of a board. Actors are spread over a fixed set of
 * event-loop contexts by board id, and loaded from the newest snapshot plus the tail of the log.
 * Thread-safe.
 *
 * <p>In a cluster it is also the {@link ClusterBus.Listener}: ops other nodes appended go to the
 * loaded actor of their board (boards not loaded here are read from the store when they are), a
 * bus reconnection makes every loaded actor re-read the log tail, and {@code board} messages
 * (presence, frames, archiving) reach the actor they name.
 */
public final class BoardRegistry implements OpSubmitter {

    private static final int REPLAY_PAGE = 5_000;

    private final Vertx vertx;
    private final Store store;
    private final AccessPolicy access;
    private final List<Context> contexts;
    private final int snapshotEvery;
    private volatile ItemTypes types;
    private volatile OpGate gate;
    private volatile BoardObserver observer = BoardObserver.NONE;
    /** Gates besides the module gate (linkage), consulted after it; see {@link #addGate}. */
    private final List<OpGate> extraGates = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile SnapshotDecorator decorator = SnapshotDecorator.NONE;
    private final Map<String, Future<BoardActor>> actors = new ConcurrentHashMap<>();
    private final ClusterBus cluster;

    /** How long a board state restored at start-up waits for its board's first load. */
    static final long STARTUP_STATE_KEEP_MS = 120_000;
    /** The most items kept in those states together; boards beyond it load from the store as usual. */
    static final long STARTUP_STATE_MAX_ITEMS = 2_000_000;
    private final Map<String, StoredState> startupStates = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong startupItems = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A board state read from the store — its newest snapshot plus the log after it — and that
     * snapshot's version and JSON (0 and null without one).
     */
    public record StoredState(BoardState state, long snapshotVersion, String snapshotJson) {
    }

    public BoardRegistry(Vertx vertx, Store store, AccessPolicy access, List<Context> contexts, int snapshotEvery) {
        this(vertx, store, access, contexts, snapshotEvery, ClusterBus.NONE);
    }

    public BoardRegistry(Vertx vertx, Store store, AccessPolicy access, List<Context> contexts, int snapshotEvery,
                         ClusterBus cluster) {
        this.cluster = cluster;
        if (cluster.clustered()) {
            cluster.listener(new ClusterBus.Listener() {
                @Override
                public void remoteOps(String boardId, List<LoggedOp> ops) {
                    BoardActor a = loaded(boardId);
                    if (a != null) {
                        a.remoteCommitted(ops);
                    } else if (!actors.containsKey(boardId)) {
                        // Follow every board that is active anywhere, so this node's views of it
                        // (linkage rollups, link checks) stay current; the load reads these ops too.
                        actor(boardId);
                    }
                }

                @Override
                public void resync() {
                    forEachLoaded(BoardActor::resync);
                }

                @Override
                public void nodeGone(String nodeId) {
                    forEachLoaded(a -> a.nodeGone(nodeId));
                }
            });
            cluster.subscribe("board", this::boardMessage);
        }
        this.vertx = vertx;
        this.store = store;
        this.access = access;
        this.contexts = List.copyOf(contexts);
        this.snapshotEvery = snapshotEvery;
        this.types = ItemTypes.builtIn();
        this.gate = OpGate.NONE;
    }

    /** Installs the module-aware item types and gate; applies to actors loaded from now on and to loaded ones on reload. */
    public void useModules(ItemTypes types, OpGate gate) {
        this.types = types;
        this.gate = gate;
    }

    /** Installs the observer (metrics) that actors loaded from now on report to. */
    public void observe(BoardObserver observer) {
        this.observer = observer == null ? BoardObserver.NONE : observer;
    }

    /** The item types actors validate against (built-ins plus modules once installed). */
    public ItemTypes itemTypes() {
        return types;
    }

    /**
     * Adds a gate consulted after the module gate (e.g. the linkage's cross-board link checks);
     * applies to actors loaded from now on, so call it before boards are served.
     */
    public void addGate(OpGate extra) {
        extraGates.add(extra);
    }

    /** Installs the decorator of items shown to readers (rollups); for actors loaded from now on. */
    public void decorateSnapshots(SnapshotDecorator decorator) {
        this.decorator = decorator;
    }

    /** Event-bus address (local) on which the id of a board is published once it is archived. */
    public static final String ARCHIVED_ADDRESS = "linkboard.board.archived";

    /**
     * Keeps a board state restored at start-up (the linkage's rebuild reads every board) for that
     * board's first load: after a restart every client reconnects at once, and reading and parsing
     * each board's snapshot a second time was most of a cold join. The state is handed over — the
     * caller must not touch it afterwards — and kept until that load or for
     * {@link #STARTUP_STATE_KEEP_MS}, within {@link #STARTUP_STATE_MAX_ITEMS} items in all. Any thread.
     */
    public void keepStartupState(String boardId, StoredState kept) {
        long items = kept.state().items().size();
        if (startupItems.addAndGet(items) > STARTUP_STATE_MAX_ITEMS) {
            startupItems.addAndGet(-items);
            return;
        }
        StoredState replaced = startupStates.put(boardId, kept);
        if (replaced != null) startupItems.addAndGet(-replaced.state().items().size());
        vertx.setTimer(STARTUP_STATE_KEEP_MS, t -> {
            if (startupStates.remove(boardId, kept)) startupItems.addAndGet(-items);
        });
    }

    /** How many start-up states still wait for their board's first load. */
    public int startupStatesKept() {
        return startupStates.size();
    }

    private StoredState takeStartupState(String boardId) {
        StoredState kept = startupStates.remove(boardId);
        if (kept != null) startupItems.addAndGet(-kept.state().items().size());
        return kept;
    }

    /** The actor of a board if it is loaded and usable, else null; never loads one. */
    public BoardActor loaded(String boardId) {
        Future<BoardActor> f = actors.get(boardId);
        return f != null && f.succeeded() && !f.result().broken() ? f.result() : null;
    }

    public Store store() {
        return store;
    }

    public AccessPolicy access() {
        return access;
    }

    /** The actor of a live board; fails with NOT_FOUND when the board does not exist or is archived. */
    public Future<BoardActor> actor(String boardId) {
        Future<BoardActor> existing = actors.get(boardId);
        if (existing != null && !(existing.succeeded() && existing.result().broken())) {
            return existing.compose(a -> a.board().archived() ? Future.failedFuture(notFound(boardId)) : Future.succeededFuture(a));
        }
        Promise<BoardActor> promise = Promise.promise();
        Future<BoardActor> mine = promise.future();
        Future<BoardActor> raced = existing == null ? actors.putIfAbsent(boardId, mine)
                : (actors.replace(boardId, existing, mine) ? null : actors.get(boardId));
        if (raced != null) return actor(boardId);
        load(boardId).onComplete(ar -> {
            if (ar.failed()) actors.remove(boardId, mine);
            promise.handle(ar);
            // Only now: the answers are routed to loaded actors, and until the line above this one
            // was not loaded yet, so a quick answer from another node was dropped.
            if (ar.succeeded() && cluster.clustered()) ar.result().askWhoIsHere();
        });
        return mine;
    }

    private Future<BoardActor> load(String boardId) {
        return store.getBoard(boardId).compose(record -> {
            if (record == null || record.archived()) return Future.failedFuture(notFound(boardId));
            StoredState kept = takeStartupState(boardId);
            // The state kept from start-up may be older than the log by now: replay brings it up.
            Future<StoredState> read = kept != null ? replay(kept.state()).map(kept) : readStoredState(boardId);
            return read.compose(restored -> {
                long snapVersion = restored.snapshotVersion();
                BoardState state = restored.state();
                // A board loaded without a tail is served its stored snapshot as is (no re-encoding);
                // its bytes are taken on a worker, like the parse.
                Future<byte[]> storedItems = restored.snapshotJson() != null && state.version() == snapVersion
                        ? vertx.executeBlocking(() -> restored.snapshotJson().getBytes(StandardCharsets.UTF_8), false)
                        : Future.succeededFuture(null);
                return storedItems.compose(itemsJson -> store.readRecentOps(boardId, BoardActor.RECENT_WINDOW)
                        .map(recent -> {
                            Context ctx = contexts.get(Math.floorMod(boardId.hashCode(), contexts.size()));
                            List<OpGate> gates = new ArrayList<>();
                            gates.add(gate);
                            gates.addAll(extraGates);
                            BoardActor actor = new BoardActor(ctx, store, vertx.eventBus(), access, types,
                                    CompositeOpGate.of(gates), snapshotEvery, record, state, snapVersion, recent, this::evicted,
                                    observer, cluster);
                            actor.useDecorator(decorator);
                            if (itemsJson != null) actor.adoptStoredItems(snapVersion, itemsJson);
                            // Ops announced while this node read the log were not routed to it yet.
                            if (cluster.clustered()) {
                                actor.resync();
                                actor.announceLoaded();
                            }
                            return actor;
                        }));
            });
        });
    }

    /**
     * Reads a board's state from the store: its newest snapshot, parsed on a worker (a big board's
     * takes a while), and the log after it replayed. The state is the caller's; any thread.
     */
    public Future<StoredState> readStoredState(String boardId) {
        return store.latestSnapshot(boardId).compose(snapshot -> {
            Future<BoardState> parsed = snapshot == null ? Future.succeededFuture(new BoardState(boardId))
                    : vertx.executeBlocking(() -> BoardState.fromSnapshotJson(boardId, snapshot.version(), snapshot.itemsJson()), false);
            return parsed.compose(state -> replay(state).map(new StoredState(state, snapshot == null ? 0 : snapshot.version(),
                    snapshot == null ? null : snapshot.itemsJson())));
        });
    }

    private Future<Void> replay(BoardState state) {
        return store.readOps(state.boardId(), state.version(), REPLAY_PAGE).compose(ops ->
                vertx.executeBlocking(() -> {
                    for (LoggedOp op : ops) {
                        state.apply(OpCodec.decode(new JsonObject(op.opJson())), op.seq());
                    }
                    return ops.size();
                }, false).compose(n -> n < REPLAY_PAGE ? Future.succeededFuture() : replay(state)));
    }

    /**
     * Sends a frame (e.g. a rollup) to every session joined to the board, on every node of a
     * cluster, whether or not the board is loaded on this node. Any thread.
     */
    public void broadcast(String boardId, JsonObject message) {
        BoardActor a = loaded(boardId);
        if (a != null) {
            a.broadcast(message);
        } else if (cluster.clustered()) {
            cluster.publish("board", new JsonObject().put("b", boardId).put("k", "frame").put("frame", message.copy()));
        }
    }

    /** The record of a board loaded on this node (durable version), or null; no store access. */
    public BoardRecord loadedRecord(String boardId) {
        BoardActor a = loaded(boardId);
        return a == null ? null : a.board();
    }

    private void forEachLoaded(java.util.function.Consumer<BoardActor> action) {
        for (Future<BoardActor> f : actors.values()) {
            if (f.succeeded()) action.accept(f.result());
        }
    }

    private void boardMessage(JsonObject m) {
        String boardId = m.getString("b");
        if (boardId == null) return;
        if ("archived".equals(m.getString("k"))) {
            vertx.eventBus().publish(ARCHIVED_ADDRESS, boardId, new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
            Future<BoardActor> f = actors.remove(boardId);
            if (f != null && f.succeeded()) {
                BoardRecord r = f.result().board();
                f.result().archived(new BoardRecord(r.id(), r.title(), r.unit(), r.createdAt(), r.version(), true));
            }
            return;
        }
        BoardActor a = loaded(boardId);
        if (a != null) a.remoteMessage(m);
    }

    private void evicted(BoardActor actor) {
        actors.computeIfPresent(actor.boardId(), (id, f) -> f.succeeded() && f.result() == actor ? null : f);
    }

    @Override
    public Future<Long> submit(String boardId, Op op, Principal as, String cid) {
        return actor(boardId).compose(a -> a.submit(as, cid, op, null));
    }

    /** Archives the board and tells its live subscribers. */
    public Future<Void> archive(BoardRecord record) {
        return store.archiveBoard(record.id()).onSuccess(v -> {
            if (cluster.clustered()) cluster.publish("board", new JsonObject().put("b", record.id()).put("k", "archived"));
            vertx.eventBus().publish(ARCHIVED_ADDRESS, record.id(), new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
            Future<BoardActor> f = actors.remove(record.id());
            if (f != null && f.succeeded()) {
                f.result().archived(new BoardRecord(record.id(), record.title(), record.unit(), record.createdAt(),
                        record.version(), true));
            }
        });
    }

    /** The live version of a loaded board, or the stored one. */
    public long liveVersion(BoardRecord record) {
        Future<BoardActor> f = actors.get(record.id());
        return f != null && f.succeeded() ? f.result().board().version() : record.version();
    }

    /** Flushes every loaded board (shutdown). */
    public Future<Void> drainAll() {
        List<Future<Void>> all = new ArrayList<>();
        for (Future<BoardActor> f : actors.values()) {
            if (f.succeeded()) all.add(f.result().drainToStore());
        }
        return Future.join(all).mapEmpty();
    }

    public int loadedBoards() {
        return actors.size();
    }

    private static LinkboardException notFound(String boardId) {
        return Errors.notFound("board " + boardId + " not found");
    }
}
