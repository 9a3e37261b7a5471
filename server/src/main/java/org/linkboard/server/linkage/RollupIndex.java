package org.linkboard.server.linkage;

import org.linkboard.server.board.BuiltInTypes;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The linkage of every live board: which items link to which goals (across boards), and each
 * goal's aggregates ({@code children}, {@code done}, {@code sum}) kept by deltas.
 *
 * <p><b>What a child contributes</b> to a goal it links to (docs/linkage.md):
 * <ul>
 *   <li>an item that is not a goal: its field named by the goal's {@code metric} (0 when absent or
 *       not a number, or when the goal has no metric), and done when {@code status} is
 *       {@code done} or {@code progress} ≥ 100;</li>
 *   <li>a goal (nested goals): its own rollup {@code sum}, and done when its own rollup
 *       {@code progress} is 100. So a college goal counts in the university goal with what its
 *       cards add up to.</li>
 * </ul>
 * Items on archived boards contribute nothing and are not indexed.
 *
 * <p><b>Cost.</b> {@link #update} touches only the changed items and the edges at them: for each
 * edge it recomputes the child's contribution, compares it with the one it keeps, and applies the
 * difference to the goal; when a goal's rollup moves, the edges from that goal up are revisited,
 * so a change travels up the chain of goals and nowhere else. Only a change of a goal's
 * {@code metric} revisits all of that goal's children. {@link #recompute} is the from-scratch
 * definition, used at start to verify and by tests.
 *
 * <p>Not thread-safe: owned by the linkage context. Keeps the {@link GoalGraph} in step.
 */
public final class RollupIndex {

    private static final Logger LOG = Logger.getLogger(RollupIndex.class.getName());

    /** A child's last contribution to one goal. */
    record Contribution(boolean done, BigDecimal value) {
        Contribution {
            value = Rollup.normal(value);
        }
    }

    private record Edge(LinkRef child, LinkRef goal) {
    }

    private static final class Aggregate {
        int children;
        int done;
        BigDecimal sum = BigDecimal.ZERO;
    }

    /** Goals, and items with at least one link, of live boards: copies as of their last applied op. */
    private final Map<LinkRef, Item> items = new HashMap<>();
    private final Map<LinkRef, Set<LinkRef>> childrenOf = new HashMap<>();
    private final Map<Edge, Contribution> contributions = new HashMap<>();
    private final Map<LinkRef, Aggregate> aggregates = new HashMap<>();
    private final Set<String> archivedBoards = new HashSet<>();
    private final GoalGraph graph;

    public RollupIndex(GoalGraph graph) {
        this.graph = graph;
    }

    public RollupIndex() {
        this(new GoalGraph());
    }

    // ---- incremental ------------------------------------------------------------------------

    /**
     * Takes the items an op changed on {@code board} (copies after the op; null = removed) and
     * updates the aggregates of every goal up the chain.
     *
     * @return goals whose rollup changed, with the new rollup; a null value for a goal that is gone
     */
    public Map<LinkRef, Rollup> update(String board, Map<String, Item> changed) {
        if (archivedBoards.contains(board) || changed.isEmpty()) return Map.of();
        Map<LinkRef, Rollup> before = new LinkedHashMap<>();
        ArrayDeque<Edge> work = new ArrayDeque<>();
        for (Map.Entry<String, Item> e : changed.entrySet()) {
            LinkRef key = new LinkRef(board, e.getKey());
            Item now = e.getValue();
            Item old = items.get(key);
            if (old == null && !relevant(now)) continue;
            if (isGoal(old) || isGoal(now)) {
                if (!before.containsKey(key)) before.put(key, isGoal(old) ? rollupWith(key, old) : null);
            }
            if (relevant(now)) items.put(key, now);
            else items.remove(key);
            List<LinkRef> oldLinks = old == null ? List.of() : old.links();
            List<LinkRef> newLinks = now == null ? List.of() : now.links();
            for (LinkRef g : oldLinks) {
                if (!newLinks.contains(g)) {
                    Set<LinkRef> kids = childrenOf.get(g);
                    if (kids != null && kids.remove(key) && kids.isEmpty()) childrenOf.remove(g);
                    work.add(new Edge(key, g));
                }
            }
            for (LinkRef g : newLinks) {
                childrenOf.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(key);
                work.add(new Edge(key, g));
            }
            if (isGoal(old) || isGoal(now)) {
                if (isGoal(now)) graph.put(key, goalLinks(now));
                else graph.remove(key);
                // The metric decides what every child adds: a new metric revisits them all.
                if (isGoal(old) != isGoal(now) || !Objects.equals(metricOf(old), metricOf(now))) {
                    for (LinkRef c : childrenOf.getOrDefault(key, Set.of())) work.add(new Edge(c, key));
                }
            }
        }
        drain(work, before);
        Map<LinkRef, Rollup> out = new LinkedHashMap<>();
        for (Map.Entry<LinkRef, Rollup> e : before.entrySet()) {
            Rollup now = rollup(e.getKey());
            if (!Objects.equals(now, e.getValue())) out.put(e.getKey(), now);
        }
        return out;
    }

    /** The board was archived: its items stop contributing and its goals disappear. */
    public Map<LinkRef, Rollup> archive(String board) {
        Map<String, Item> removed = new LinkedHashMap<>();
        List<LinkRef> keys = new ArrayList<>();
        for (LinkRef k : items.keySet()) {
            if (k.board().equals(board)) keys.add(k);
        }
        keys.sort(Comparator.comparing(LinkRef::item));
        for (LinkRef k : keys) removed.put(k.item(), null);
        Map<LinkRef, Rollup> out = update(board, removed);
        archivedBoards.add(board);
        return out;
    }

    private void drain(ArrayDeque<Edge> work, Map<LinkRef, Rollup> before) {
        // Links are kept acyclic by the gate, so this ends; the bound stops a corrupt graph from
        // spinning the linkage context forever.
        long budget = 64L * (contributions.size() + work.size() + 16) * (items.size() + 16);
        while (!work.isEmpty()) {
            if (budget-- <= 0) {
                LOG.severe("linkage: link cycle in the data, rollups may be wrong; stopped propagating");
                work.clear();
                return;
            }
            Edge e = work.poll();
            Contribution now = contributionOf(e);
            Contribution old = contributions.get(e);
            if (Objects.equals(now, old)) continue;
            if (!before.containsKey(e.goal())) {
                Item g = items.get(e.goal());
                before.put(e.goal(), isGoal(g) ? rollupWith(e.goal(), g) : null);
            }
            Aggregate a = aggregates.computeIfAbsent(e.goal(), k -> new Aggregate());
            if (old != null) {
                a.children--;
                if (old.done()) a.done--;
                a.sum = a.sum.subtract(old.value());
            }
            if (now != null) {
                a.children++;
                if (now.done()) a.done++;
                a.sum = a.sum.add(now.value());
                contributions.put(e, now);
            } else {
                contributions.remove(e);
            }
            if (a.children == 0) aggregates.remove(e.goal());
            // The goal's own contribution to the goals above it may have moved.
            Item g = items.get(e.goal());
            if (isGoal(g)) {
                for (LinkRef up : g.links()) work.add(new Edge(e.goal(), up));
            }
        }
    }

    private Contribution contributionOf(Edge e) {
        Item c = items.get(e.child());
        if (c == null || !c.links().contains(e.goal())) return null;
        if (isGoal(c)) {
            Rollup r = rollupWith(e.child(), c);
            return new Contribution(r.complete(), r.sum());
        }
        String metric = metricOf(items.get(e.goal()));
        BigDecimal value = metric == null ? null : Rollup.exact(c.fields().get(metric));
        return new Contribution(isDone(c), value == null ? BigDecimal.ZERO : value);
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The rollup of a goal of a live board, or null when there is no such goal. */
    public Rollup rollup(LinkRef goal) {
        Item g = items.get(goal);
        return isGoal(g) ? rollupWith(goal, g) : null;
    }

    private Rollup rollupWith(LinkRef key, Item goal) {
        Aggregate a = aggregates.get(key);
        return a == null ? Rollup.of(0, 0, BigDecimal.ZERO, goal == null ? null : goal.fields())
                : Rollup.of(a.children, a.done, a.sum, goal == null ? null : goal.fields());
    }

    /** The rollup of every goal of a live board, as kept by deltas. */
    public Map<LinkRef, Rollup> rollups() {
        Map<LinkRef, Rollup> out = new HashMap<>();
        for (Map.Entry<LinkRef, Item> e : items.entrySet()) {
            if (isGoal(e.getValue())) out.put(e.getKey(), rollupWith(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The indexed copy of an item (goals and items with links of live boards), or null. */
    public Item item(LinkRef key) {
        return items.get(key);
    }

    /** The items linked to a goal (live boards), in the order they were linked. */
    public List<LinkRef> children(LinkRef goal) {
        return List.copyOf(childrenOf.getOrDefault(goal, Set.of()));
    }

    /** What a child adds to a goal now, or null when it does not count. */
    Contribution contribution(LinkRef child, LinkRef goal) {
        return contributions.get(new Edge(child, goal));
    }

    /** Number of indexed items (goals and linked items). */
    public int size() {
        return items.size();
    }

    // ---- from scratch -----------------------------------------------------------------------

    /**
     * Every rollup computed from the indexed items alone, ignoring the kept aggregates and
     * contributions: the definition the deltas must always agree with. O(items + links).
     */
    public Map<LinkRef, Rollup> recompute() {
        Map<LinkRef, List<LinkRef>> kids = new HashMap<>();
        for (Map.Entry<LinkRef, Item> e : items.entrySet()) {
            for (LinkRef g : e.getValue().links()) kids.computeIfAbsent(g, k -> new ArrayList<>()).add(e.getKey());
        }
        Map<LinkRef, Rollup> memo = new HashMap<>();
        Map<LinkRef, Rollup> out = new HashMap<>();
        for (Map.Entry<LinkRef, Item> e : items.entrySet()) {
            if (isGoal(e.getValue())) out.put(e.getKey(), scratch(e.getKey(), kids, memo, new HashSet<>()));
        }
        return out;
    }

    private Rollup scratch(LinkRef goal, Map<LinkRef, List<LinkRef>> kids, Map<LinkRef, Rollup> memo, Set<LinkRef> onPath) {
        Rollup known = memo.get(goal);
        if (known != null) return known;
        if (!onPath.add(goal)) return Rollup.EMPTY; // a cycle: cannot happen when the gate held
        Item g = items.get(goal);
        String metric = metricOf(g);
        int children = 0;
        int done = 0;
        BigDecimal sum = BigDecimal.ZERO;
        for (LinkRef c : kids.getOrDefault(goal, List.of())) {
            Item ci = items.get(c);
            children++;
            if (isGoal(ci)) {
                Rollup r = scratch(c, kids, memo, onPath);
                if (r.complete()) done++;
                sum = sum.add(r.sum());
            } else {
                if (isDone(ci)) done++;
                BigDecimal v = metric == null ? null : Rollup.exact(ci.fields().get(metric));
                if (v != null) sum = sum.add(v);
            }
        }
        onPath.remove(goal);
        Rollup r = Rollup.of(children, done, sum, g == null ? null : g.fields());
        memo.put(goal, r);
        return r;
    }

    // ---- item rules -------------------------------------------------------------------------

    static boolean isGoal(Item i) {
        return i != null && BuiltInTypes.GOAL_TYPE.equals(i.type());
    }

    private static boolean relevant(Item i) {
        return i != null && (isGoal(i) || !i.links().isEmpty());
    }

    static String metricOf(Item goal) {
        if (!isGoal(goal)) return null;
        return goal.fields().get("metric") instanceof String m && !m.isEmpty() ? m : null;
    }

    /** A non-goal child is done when its status is {@code done} or its progress reached 100. */
    static boolean isDone(Item i) {
        if ("done".equals(i.fields().get("status"))) return true;
        return i.fields().get("progress") instanceof Number p && p.doubleValue() >= 100;
    }

    private static List<LinkRef> goalLinks(Item goal) {
        return new ArrayList<>(goal.links());
    }
}
