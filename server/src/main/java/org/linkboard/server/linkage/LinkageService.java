package org.linkboard.server.linkage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardActor;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpGate;
import org.linkboard.server.board.SnapshotDecorator;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps every goal's rollup current and shows it: the Vert.x side of the linkage.
 *
 * <ul>
 *   <li><b>Start (recovery).</b> Rebuilds the {@link RollupIndex} from the boards' durable states
 *       (newest snapshot plus the tail of the log, read through the {@link Store}), feeding every
 *       goal and linked item through the same delta path as live changes, then recomputes every
 *       rollup from scratch and checks both agree. Nothing of the linkage is stored: the op log is
 *       the only truth, so a crash can neither lose nor double-count a contribution. Deployed
 *       before the server takes ops.</li>
 *   <li><b>Live.</b> Follows {@link AppliedOp#ADDRESS} (durable ops, in seq order per board) and
 *       {@link BoardRegistry#ARCHIVED_ADDRESS}; each change updates the goals up the chain by
 *       deltas, and every goal whose rollup moved gets {@code {"type":"rollup",…}} pushed to the
 *       sessions on its board.</li>
 *   <li><b>Shown.</b> As {@link SnapshotDecorator} it adds {@code "rollup"} to goals in snapshots;
 *       {@link #view} answers the linkage view of a goal.</li>
 * </ul>
 *
 * <p>Threading: the index lives on this verticle's context; event-bus handlers run there, and
 * {@link #view} hops there. {@link #decorate} runs on board actors' contexts and reads only the
 * concurrent map of shown rollups. The {@link #gate()} runs on board actors' contexts.
 */
public final class LinkageService extends VerticleBase implements SnapshotDecorator {

    /**
     * Local event-bus address of every rollup change, as the {@code rollup} message sent to
     * sessions ({@code {"type","board","item","rollup"}}); webhooks and notifications subscribe.
     */
    public static final String ROLLUP_CHANGED_ADDRESS = "linkboard.linkage.rollup";


    private static final Logger LOG = Logger.getLogger(LinkageService.class.getName());

    private final Store store;
    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final GoalGraph graph = new GoalGraph();
    private final RollupIndex index = new RollupIndex(graph);
    private final LinkageGate gate;
    /**
     * board → goal → rollup JSON as last pushed, for every goal of a live board; read by snapshot
     * decoration on board actors' threads, written on the linkage context.
     */
    private final Map<String, Map<String, JsonObject>> shown = new ConcurrentHashMap<>();
    /** Per board, bumped whenever its shown rollups change (see {@link #revision}). */
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    /** Live boards seen (title, unit), for the linkage view. Linkage context only. */
    private final Map<String, BoardRecord> boardRecords = new ConcurrentHashMap<>();
    private boolean verified;

    public LinkageService(Store store, BoardRegistry boards, AccessPolicy access) {
        this.store = store;
        this.boards = boards;
        this.access = access;
        this.gate = new LinkageGate(boards, access, graph);
    }

    /** The gate to add to the board registry ({@link BoardRegistry#addGate}). */
    public OpGate gate() {
        return gate;
    }

    @Override
    public Future<?> start() {
        return rebuild().onSuccess(v -> {
            vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(this::applied));
            vertx.eventBus().<AppliedOp>localConsumer(AppliedOp.REPLICATED_ADDRESS, m -> replicated(m.body()));
            vertx.eventBus().<String>localConsumer(BoardRegistry.ARCHIVED_ADDRESS, m -> archived(m.body()));
        });
    }

    // ---- recovery ---------------------------------------------------------------------------

    private Future<Void> rebuild() {
        return store.listBoards(false).compose(list -> {
            Future<Void> chain = Future.succeededFuture();
            for (BoardRecord b : list) {
                chain = chain.compose(v -> boards.readStoredState(b.id()).map(read -> {
                    BoardState state = read.state();
                    boardRecords.put(b.id(), b);
                    Map<String, Item> relevant = new LinkedHashMap<>();
                    for (Item i : state.items().values()) {
                        if (RollupIndex.isGoal(i) || !i.links().isEmpty()) relevant.put(i.id(), i.copy());
                    }
                    index.update(b.id(), relevant);
                    // Read and parsed once: the board's first load after this restart takes it over.
                    boards.keepStartupState(b.id(), read);
                    return null;
                }));
            }
            return chain;
        }).map(v -> {
            Map<LinkRef, Rollup> kept = index.rollups();
            Map<LinkRef, Rollup> scratch = index.recompute();
            verified = kept.equals(scratch);
            if (!verified) {
                LOG.severe("linkage: rollups built by deltas differ from the from-scratch recomputation; showing the latter. "
                        + "This is a bug: please report it with the data dir");
            }
            (verified ? kept : scratch).forEach((k, r) -> show(k, r.toJson()));
            LOG.info("linkage: indexed " + index.size() + " goals and linked items on " + boardRecords.size()
                    + " boards; rollups verified: " + verified);
            return null;
        });
    }

    /** Whether the rollups rebuilt at start matched their from-scratch recomputation. */
    public boolean verifiedAtStart() {
        return verified;
    }

    // ---- live -------------------------------------------------------------------------------

    private void applied(AppliedOp op) {
        boardRecords.put(op.board().id(), op.board());
        Map<LinkRef, Rollup> changes = index.update(op.board().id(), op.changed());
        if (op.op() instanceof Op.Link l && l.to() != null) graph.release(new LinkRef(op.board().id(), l.id()), l.to());
        publish(changes);
    }

    /**
     * Cluster: an op another node appended, as this node's replica applied it. That node's
     * linkage pushed the rollup messages to the sessions of every node; here the index and the
     * shown rollups follow, so snapshots and link checks on this node stay current. Nothing is
     * pushed or published (that would repeat what the appending node did).
     */
    private void replicated(AppliedOp op) {
        boardRecords.put(op.board().id(), op.board());
        for (Map.Entry<LinkRef, Rollup> e : index.update(op.board().id(), op.changed()).entrySet()) {
            LinkRef goal = e.getKey();
            if (e.getValue() == null) {
                unshow(goal);
            } else {
                show(goal, e.getValue().toJson());
            }
        }
    }

    private void archived(String boardId) {
        boardRecords.remove(boardId);
        publish(index.archive(boardId));
        shown.remove(boardId);
        changedShown(boardId);
    }

    private void publish(Map<LinkRef, Rollup> changes) {
        for (Map.Entry<LinkRef, Rollup> e : changes.entrySet()) {
            LinkRef goal = e.getKey();
            if (e.getValue() == null) {
                unshow(goal);
                continue;
            }
            JsonObject rollup = e.getValue().toJson();
            // Shown first, then pushed: a session joining meanwhile gets it in its snapshot or by push.
            show(goal, rollup);
            JsonObject message = rollupMessage(goal.board(), goal.item(), rollup);
            // Through the registry: in a cluster the goal's board may have sessions only on other nodes.
            boards.broadcast(goal.board(), message);
            vertx.eventBus().publish(ROLLUP_CHANGED_ADDRESS, message.copy(), new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
        }
    }

    private void show(LinkRef goal, JsonObject rollup) {
        shown.computeIfAbsent(goal.board(), b -> new ConcurrentHashMap<>()).put(goal.item(), rollup);
        changedShown(goal.board());
    }

    private void unshow(LinkRef goal) {
        Map<String, JsonObject> ofBoard = shown.get(goal.board());
        if (ofBoard != null) ofBoard.remove(goal.item());
        changedShown(goal.board());
    }

    /** Bumps the board's {@link #revision}: its encoded snapshots are stale. */
    private void changedShown(String boardId) {
        revisions.merge(boardId, 1L, Long::sum);
    }

    private static JsonObject rollupMessage(String board, String item, JsonObject rollup) {
        return new JsonObject().put("type", "rollup").put("board", board).put("item", item).put("rollup", rollup.copy());
    }

    // ---- shown ------------------------------------------------------------------------------

    @Override
    public void decorate(String boardId, Map<String, Object> items) {
        for (Map.Entry<String, Object> e : items.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> raw) || !"goal".equals(raw.get("type"))) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) raw;
            Map<String, JsonObject> ofBoard = shown.get(boardId);
            JsonObject r = ofBoard == null ? null : ofBoard.get(e.getKey());
            if (r == null) {
                // A goal the linkage has not seen yet (created a moment ago): nothing links to it.
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = item.get("fields") instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of();
                r = Rollup.of(0, 0, BigDecimal.ZERO, fields).toJson();
            }
            item.put("rollup", new LinkedHashMap<>(r.getMap()));
        }
    }

    @Override
    public long revision(String boardId) {
        return revisions.getOrDefault(boardId, 0L);
    }

    @Override
    public boolean decorates(String boardId, Item item) {
        return "goal".equals(item.type());
    }

    @Override
    public Future<Void> settled() {
        // Applied ops reach this context in order, before any later hop: one hop sees them all.
        return onLinkage(() -> null);
    }

    @Override
    public List<JsonObject> catchUp(String boardId) {
        Map<String, JsonObject> ofBoard = shown.get(boardId);
        if (ofBoard == null) return List.of();
        List<JsonObject> out = new ArrayList<>(ofBoard.size());
        new TreeMap<>(ofBoard).forEach((item, rollup) -> out.add(rollupMessage(boardId, item, rollup)));
        return out;
    }

    /** The current rollup of a goal (null when there is no such goal), read on the linkage context. */
    public Future<Rollup> rollup(LinkRef goal) {
        return onLinkage(() -> index.rollup(goal));
    }

    /** Rollups by deltas and from scratch, for checks: {@code [kept, scratch]}. */
    public Future<List<Map<LinkRef, Rollup>>> rollupsAndRecomputation() {
        return onLinkage(() -> List.of(index.rollups(), index.recompute()));
    }

    /**
     * The linkage view of a goal for a reader (docs/linkage.md): the goal with its rollup and
     * baseline comparison, the goals it contributes to, and its direct contributors grouped by
     * unit and board — only those on boards the reader may read; the others are summed up in
     * {@code hidden} without naming them. The caller has checked the goal's board is readable.
     * Fails with NOT_FOUND when the item is absent or not a goal.
     */
    public Future<JsonObject> view(Principal reader, BoardRecord board, String itemId) {
        return onLinkage(() -> {
            LinkRef key = new LinkRef(board.id(), itemId);
            Item goal = index.item(key);
            if (!RollupIndex.isGoal(goal)) {
                throw new LinkboardException(ErrorCode.NOT_FOUND, "no goal '" + itemId + "' on board " + board.id(),
                        Map.of("item", itemId));
            }
            Rollup rollup = index.rollup(key);
            JsonObject out = new JsonObject().put("goal", goalJson(key, goal, board, rollup));
            JsonObject baseline = baseline(goal, rollup);
            if (baseline != null) out.put("baseline", baseline);
            JsonArray up = new JsonArray();
            for (LinkRef l : goal.links()) {
                BoardRecord b = boardRecords.get(l.board());
                Item target = index.item(l);
                if (b == null || target == null || !access.canRead(reader, b.unit())) continue;
                up.add(goalJson(l, target, b, index.rollup(l)));
            }
            out.put("contributesTo", up);
            // unit → board → items, sorted so the view is stable.
            Map<String, Map<String, JsonArray>> grouped = new TreeMap<>();
            int hiddenChildren = 0;
            int hiddenDone = 0;
            BigDecimal hiddenSum = BigDecimal.ZERO;
            for (LinkRef c : index.children(key)) {
                RollupIndex.Contribution contribution = index.contribution(c, key);
                BoardRecord b = boardRecords.get(c.board());
                Item child = index.item(c);
                if (contribution == null || b == null || child == null) continue;
                if (!access.canRead(reader, b.unit())) {
                    hiddenChildren++;
                    if (contribution.done()) hiddenDone++;
                    hiddenSum = hiddenSum.add(contribution.value());
                    continue;
                }
                JsonObject entry = new JsonObject().put("item", c.item()).put("type", child.type())
                        .put("title", child.fields().get("title")).put("value", Rollup.number(contribution.value()))
                        .put("done", contribution.done());
                if (child.fields().get("status") != null) entry.put("status", child.fields().get("status"));
                if (RollupIndex.isGoal(child)) entry.put("rollup", index.rollup(c).toJson());
                grouped.computeIfAbsent(b.unit(), u -> new TreeMap<>()).computeIfAbsent(b.id(), x -> new JsonArray()).add(entry);
            }
            JsonArray units = new JsonArray();
            for (Map.Entry<String, Map<String, JsonArray>> u : grouped.entrySet()) {
                UnitRecord unit = access.units().get(u.getKey());
                JsonArray boardsOfUnit = new JsonArray();
                for (Map.Entry<String, JsonArray> b : u.getValue().entrySet()) {
                    List<Object> sorted = new ArrayList<>(b.getValue().getList());
                    sorted.sort(Comparator.comparing(o -> String.valueOf(((JsonObject) o).getString("item"))));
                    BoardRecord br = boardRecords.get(b.getKey());
                    boardsOfUnit.add(new JsonObject().put("board", b.getKey()).put("title", br == null ? null : br.title())
                            .put("items", new JsonArray(sorted)));
                }
                units.add(new JsonObject().put("unit", u.getKey()).put("name", unit == null ? u.getKey() : unit.name())
                        .put("kind", unit == null ? null : unit.kind()).put("boards", boardsOfUnit));
            }
            out.put("contributors", units);
            out.put("hidden", new JsonObject().put("children", hiddenChildren).put("done", hiddenDone)
                    .put("sum", Rollup.number(hiddenSum)));
            return out;
        });
    }

    private JsonObject goalJson(LinkRef key, Item goal, BoardRecord board, Rollup rollup) {
        JsonObject g = new JsonObject().put("board", key.board()).put("item", key.item()).put("unit", board.unit())
                .put("title", goal.fields().get("title"));
        for (String f : List.of("metric", "target", "due", "baseline", "baselineYear")) {
            if (goal.fields().get(f) != null) g.put(f, goal.fields().get(f));
        }
        return g.put("rollup", (rollup == null ? Rollup.EMPTY : rollup).toJson());
    }

    /**
     * {@code {"year"?,"value","current","change","changePercent"?}}: the rollup sum against the
     * goal's {@code baseline} (its base-year figure), or null when the goal keeps none.
     */
    static JsonObject baseline(Item goal, Rollup rollup) {
        BigDecimal base = Rollup.exact(goal.fields().get("baseline"));
        if (base == null) return null;
        BigDecimal current = rollup == null ? BigDecimal.ZERO : rollup.sum();
        BigDecimal change = current.subtract(base);
        JsonObject b = new JsonObject();
        if (goal.fields().get("baselineYear") != null) b.put("year", goal.fields().get("baselineYear"));
        b.put("value", Rollup.number(base)).put("current", Rollup.number(current)).put("change", Rollup.number(change));
        if (base.signum() > 0) {
            double pct = 100 * change.doubleValue() / base.doubleValue();
            b.put("changePercent", Rollup.number(Math.round(pct * 100) / 100.0));
        }
        return b;
    }

    private <T> Future<T> onLinkage(Supplier<T> work) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                promise.complete(work.get());
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }
}
