package org.linkboard.server.linkage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollups kept by deltas always equal rollups computed from scratch from the boards, whatever the
 * random mix of creates, sets, links (same-board, cross-board, goal to goal), unlinks, deletes and
 * archived boards; and an index rebuilt from the final boards (what a restart does) agrees too.
 */
class RollupIndexProperties {

    static final List<String> BOARDS = List.of("b0", "b1", "b2");
    static final List<String> METRICS = List.of("students", "points");

    @Property(tries = 300)
    void incrementalRollupsAlwaysEqualARecomputationFromTheBoards(@ForAll long seed,
                                                                 @ForAll @IntRange(min = 1, max = 250) int steps) {
        World w = new World(seed);
        for (int i = 0; i < steps; i++) {
            w.step();
            Map<LinkRef, Rollup> kept = w.index.rollups();
            assertEquals(oracle(w.states, w.archived), kept, "after step " + i + ": " + w.last);
            assertEquals(w.index.recompute(), kept, "after step " + i + ": " + w.last);
        }
        RollupIndex rebuilt = new RollupIndex();
        for (String b : BOARDS) {
            if (w.archived.contains(b)) continue;
            Map<String, Item> all = new LinkedHashMap<>();
            w.states.get(b).items().values().forEach(item -> all.put(item.id(), item.copy()));
            rebuilt.update(b, all);
        }
        assertEquals(w.index.rollups(), rebuilt.rollups(), "an index rebuilt from the boards agrees with the live one");
    }

    @Property(tries = 100)
    void reportedChangesAreExactlyTheGoalsWhoseRollupMoved(@ForAll long seed, @ForAll @IntRange(min = 1, max = 150) int steps) {
        World w = new World(seed);
        for (int i = 0; i < steps; i++) {
            Map<LinkRef, Rollup> before = w.index.rollups();
            Map<LinkRef, Rollup> changes = w.step();
            Map<LinkRef, Rollup> after = w.index.rollups();
            for (LinkRef g : union(before.keySet(), after.keySet())) {
                Rollup b = before.get(g);
                Rollup a = after.get(g);
                if (a != null && !a.equals(b)) {
                    assertTrue(changes.containsKey(g), "moved rollup of " + g + " reported after " + w.last);
                    assertEquals(a, changes.get(g));
                } else if (a != null) {
                    assertTrue(!changes.containsKey(g), "unchanged rollup of " + g + " reported after " + w.last);
                }
            }
        }
    }

    static Set<LinkRef> union(Set<LinkRef> a, Set<LinkRef> b) {
        Set<LinkRef> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** Random boards driven op by op, each change fed to the index as the actor would publish it. */
    static final class World {
        final Random random;
        final Map<String, BoardState> states = new LinkedHashMap<>();
        final Set<String> archived = new HashSet<>();
        final RollupIndex index = new RollupIndex();
        int nextId;
        String last;

        World(long seed) {
            random = new Random(seed);
            for (String b : BOARDS) states.put(b, new BoardState(b));
        }

        Map<LinkRef, Rollup> step() {
            List<String> live = BOARDS.stream().filter(b -> !archived.contains(b)).toList();
            if (live.isEmpty()) return Map.of();
            String board = live.get(random.nextInt(live.size()));
            BoardState s = states.get(board);
            int roll = random.nextInt(100);
            if (roll == 0 && live.size() > 1) {
                last = "archive " + board;
                archived.add(board);
                return index.archive(board);
            }
            Op op = op(board, s, roll);
            last = board + ": " + op;
            List<String> ids = s.apply(op, s.version() + 1);
            Map<String, Item> changed = new LinkedHashMap<>();
            for (String id : ids) {
                Item i = s.item(id);
                changed.put(id, i == null ? null : i.copy());
            }
            return index.update(board, changed);
        }

        Op op(String board, BoardState s, int roll) {
            List<Item> items = new ArrayList<>(s.items().values());
            if (items.size() < 3 || roll < 25) return create(s, items);
            Item item = items.get(random.nextInt(items.size()));
            if (roll < 55) return set(item);
            if (roll < 80) {
                List<LinkRef> goals = liveGoals();
                if (goals.isEmpty()) return create(s, items);
                LinkRef to = goals.get(random.nextInt(goals.size()));
                // The gate refuses links that close a cycle; the index may assume there are none.
                if (wouldCycle(new LinkRef(board, item.id()), to)) return set(item);
                return new Op.Link(item.id(), to);
            }
            if (roll < 92) {
                if (item.links().isEmpty()) return set(item);
                return new Op.Unlink(item.id(), item.links().get(random.nextInt(item.links().size())));
            }
            return new Op.Delete(item.id());
        }

        Op create(BoardState s, List<Item> items) {
            String id = "i" + (nextId++);
            List<Item> lanes = items.stream().filter(i -> i.type().equals("lane")).toList();
            String parent = lanes.isEmpty() || random.nextBoolean() ? null : lanes.get(random.nextInt(lanes.size())).id();
            int kind = random.nextInt(10);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("title", id);
            if (kind < 2) return new Op.Create(id, "lane", null, null, fields);
            if (kind < 5) {
                if (random.nextInt(4) > 0) fields.put("metric", METRICS.get(random.nextInt(METRICS.size())));
                if (random.nextInt(4) > 0) fields.put("target", (long) random.nextInt(50));
                return new Op.Create(id, "goal", parent, null, fields);
            }
            if (random.nextBoolean()) fields.put("students", number());
            if (random.nextBoolean()) fields.put("status", random.nextBoolean() ? "done" : "doing");
            return new Op.Create(id, "card", parent, null, fields);
        }

        Op set(Item item) {
            int f = random.nextInt(item.type().equals("goal") ? 7 : 5);
            return switch (f) {
                case 0 -> new Op.SetField(item.id(), "students", random.nextInt(5) == 0 ? null : number());
                case 1 -> new Op.SetField(item.id(), "points", number());
                case 2 -> new Op.SetField(item.id(), "status", random.nextBoolean() ? "done" : random.nextBoolean() ? "todo" : null);
                case 3 -> new Op.SetField(item.id(), "progress", random.nextBoolean() ? 100L : (long) random.nextInt(100));
                case 4 -> new Op.SetField(item.id(), "title", "t" + random.nextInt(9));
                case 5 -> new Op.SetField(item.id(), "metric", random.nextInt(3) == 0 ? null : METRICS.get(random.nextInt(METRICS.size())));
                default -> new Op.SetField(item.id(), "target", random.nextInt(4) == 0 ? null : (Object) (long) random.nextInt(60));
            };
        }

        /** Whole numbers, and fractions whose sums are not exact in binary, so drift would show. */
        Object number() {
            return switch (random.nextInt(4)) {
                case 0 -> 0.1 * (1 + random.nextInt(9));
                case 1 -> -1L * random.nextInt(3);
                default -> (long) random.nextInt(40);
            };
        }

        List<LinkRef> liveGoals() {
            List<LinkRef> out = new ArrayList<>();
            for (Map.Entry<String, BoardState> e : states.entrySet()) {
                if (archived.contains(e.getKey())) continue;
                for (Item i : e.getValue().items().values()) {
                    if (i.type().equals("goal")) out.add(new LinkRef(e.getKey(), i.id()));
                }
            }
            return out;
        }

        boolean wouldCycle(LinkRef from, LinkRef to) {
            Set<LinkRef> seen = new HashSet<>();
            ArrayDeque<LinkRef> todo = new ArrayDeque<>(List.of(to));
            while (!todo.isEmpty()) {
                LinkRef cur = todo.pop();
                if (cur.equals(from)) return true;
                if (!seen.add(cur)) continue;
                BoardState s = states.get(cur.board());
                Item i = s == null ? null : s.item(cur.item());
                if (i != null) todo.addAll(i.links());
            }
            return false;
        }
    }

    /** The definition of CONTRACT §4 and docs/linkage.md, straight from the boards' states. */
    static Map<LinkRef, Rollup> oracle(Map<String, BoardState> states, Set<String> archived) {
        Map<LinkRef, Item> all = new HashMap<>();
        Map<LinkRef, List<LinkRef>> kids = new HashMap<>();
        for (Map.Entry<String, BoardState> e : states.entrySet()) {
            if (archived.contains(e.getKey())) continue;
            for (Item i : e.getValue().items().values()) {
                LinkRef k = new LinkRef(e.getKey(), i.id());
                all.put(k, i);
                for (LinkRef g : i.links()) kids.computeIfAbsent(g, x -> new ArrayList<>()).add(k);
            }
        }
        Map<LinkRef, Rollup> memo = new HashMap<>();
        Map<LinkRef, Rollup> out = new HashMap<>();
        for (Map.Entry<LinkRef, Item> e : all.entrySet()) {
            if (e.getValue().type().equals("goal")) out.put(e.getKey(), oracleRollup(e.getKey(), all, kids, memo));
        }
        return out;
    }

    static Rollup oracleRollup(LinkRef goal, Map<LinkRef, Item> all, Map<LinkRef, List<LinkRef>> kids, Map<LinkRef, Rollup> memo) {
        if (memo.containsKey(goal)) return memo.get(goal);
        Item g = all.get(goal);
        Object metric = g.fields().get("metric");
        int children = 0;
        int done = 0;
        BigDecimal sum = BigDecimal.ZERO;
        for (LinkRef c : kids.getOrDefault(goal, List.of())) {
            Item ci = all.get(c);
            children++;
            if (ci.type().equals("goal")) {
                Rollup r = oracleRollup(c, all, kids, memo);
                if (r.progress() >= 100) done++;
                sum = sum.add(r.sum());
            } else {
                boolean isDone = "done".equals(ci.fields().get("status"))
                        || ci.fields().get("progress") instanceof Number p && p.doubleValue() >= 100;
                if (isDone) done++;
                if (metric instanceof String m && ci.fields().get(m) instanceof Number n) {
                    sum = sum.add(n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(n.doubleValue()));
                }
            }
        }
        Rollup r = Rollup.of(children, done, sum, g.fields());
        memo.put(goal, r);
        return r;
    }
}
