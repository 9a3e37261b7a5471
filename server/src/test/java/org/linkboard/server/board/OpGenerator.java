package org.linkboard.server.board;

import org.linkboard.api.StageSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random ops generated against the evolving state of a board, so that most of them are valid
 * (they name items that exist, positions between real siblings, values the type accepts) and a
 * known share are deliberately invalid. Deterministic for a given seed.
 */
final class OpGenerator {

    /** An op and whether the generator meant it to pass validation. */
    record Generated(Op op, boolean intendedValid) {
    }

    static final String BOARD = OpValidatorTest.BOARD;
    static final ItemTypes TYPES = OpValidatorTest.TYPES;
    private static final String[] TYPE_NAMES = {"lane", "card", "card", "card", "goal", "m:case"};

    private final Random random;
    private int nextId;

    OpGenerator(long seed) {
        this.random = new Random(seed);
    }

    Generated next(BoardState s) {
        List<Item> items = new ArrayList<>(s.items().values());
        int roll = random.nextInt(100);
        if (items.isEmpty() || roll < 30) return create(s);
        Item item = items.get(random.nextInt(items.size()));
        if (roll < 55) return set(item);
        if (roll < 70) return move(s, items, item);
        if (roll < 74) return valid(new Op.Delete(item.id()));
        if (roll < 84) return link(s, items, item);
        if (roll < 88) {
            if (item.links().isEmpty()) return invalid(new Op.Unlink(item.id(), new LinkRef(BOARD, "nowhere")));
            return valid(new Op.Unlink(item.id(), item.links().get(random.nextInt(item.links().size()))));
        }
        return invalidOp(s, items, item);
    }

    private Generated create(BoardState s) {
        String type = TYPE_NAMES[random.nextInt(TYPE_NAMES.length)];
        String parent = randomParent(s, null);
        return valid(new Op.Create("i" + nextId++, type, parent, randomPos(s, parent, null), validFields(type)));
    }

    private Map<String, Object> validFields(String type) {
        Map<String, Object> f = new HashMap<>();
        switch (type) {
            case "lane" -> {
                if (random.nextBoolean()) f.put("title", "Lane " + random.nextInt(100));
            }
            case "card" -> {
                f.put("title", "Card " + random.nextInt(1000));
                if (random.nextBoolean()) f.put("status", List.of("todo", "doing", "done").get(random.nextInt(3)));
                if (random.nextBoolean()) f.put("progress", random.nextBoolean() ? random.nextInt(101) : random.nextDouble() * 100);
                if (random.nextBoolean()) f.put("students", random.nextInt(20));
                if (random.nextInt(4) == 0) f.put("tags", List.of("t" + random.nextInt(5)));
                if (random.nextInt(4) == 0) f.put("due", "2026-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10));
            }
            case "goal" -> {
                f.put("title", "Goal " + random.nextInt(100));
                if (random.nextBoolean()) f.put("metric", "students");
                if (random.nextBoolean()) f.put("target", random.nextInt(200));
            }
            default -> {
                f.put("title", "Case " + random.nextInt(100));
                if (random.nextBoolean()) f.put("stage", OpValidatorTest.CASE.stages().get(random.nextInt(3)).id());
            }
        }
        return f;
    }

    private Generated set(Item item) {
        switch (item.type()) {
            case "lane" -> {
                return random.nextBoolean()
                        ? valid(new Op.SetField(item.id(), "title", "L" + random.nextInt(100)))
                        : valid(new Op.SetField(item.id(), "title", null));
            }
            case "card" -> {
                return switch (random.nextInt(6)) {
                    case 0 -> valid(new Op.SetField(item.id(), "title", "C" + random.nextInt(100)));
                    case 1 -> valid(new Op.SetField(item.id(), "status", random.nextBoolean() ? "done" : null));
                    case 2 -> valid(new Op.SetField(item.id(), "students", random.nextBoolean() ? random.nextInt(30) : null));
                    case 3 -> valid(new Op.SetField(item.id(), "progress", random.nextInt(101) * 1.0));
                    case 4 -> valid(new Op.SetField(item.id(), "tags", List.of("a", "b" + random.nextInt(3))));
                    default -> invalid(new Op.SetField(item.id(), "progress", 101 + random.nextInt(50)));
                };
            }
            case "goal" -> {
                return random.nextBoolean()
                        ? valid(new Op.SetField(item.id(), "target", random.nextInt(500)))
                        : invalid(new Op.SetField(item.id(), "title", null));
            }
            case "m:case" -> {
                Object current = item.fields().get("stage");
                List<String> next = current == null ? List.of()
                        : OpValidatorTest.CASE.stage((String) current).map(StageSpec::next).orElse(List.of());
                if (!next.isEmpty() && random.nextBoolean()) {
                    return valid(new Op.SetField(item.id(), "stage", next.get(random.nextInt(next.size()))));
                }
                if (current != null && random.nextBoolean()) {
                    return invalid(new Op.SetField(item.id(), "stage", "done".equals(current) ? "draft" : "nowhere"));
                }
                return valid(new Op.SetField(item.id(), "title", "Case " + random.nextInt(100)));
            }
            default -> {
                // An item of an unknown type exists only when a rejected create was applied anyway.
                return invalid(new Op.SetField(item.id(), "title", "x"));
            }
        }
    }

    private Generated move(BoardState s, List<Item> items, Item item) {
        String parent = randomParent(s, item.id());
        return valid(new Op.Move(item.id(), parent, randomPos(s, parent, item.id())));
    }

    private Generated link(BoardState s, List<Item> items, Item item) {
        List<Item> goals = items.stream().filter(i -> i.type().equals("goal")).toList();
        if (goals.isEmpty()) return invalid(new Op.Link(item.id(), new LinkRef(BOARD, "nowhere")));
        Item goal = goals.get(random.nextInt(goals.size()));
        LinkRef to = new LinkRef(BOARD, goal.id());
        boolean cycle = goal.id().equals(item.id()) || reaches(s, goal.id(), item.id());
        return new Generated(new Op.Link(item.id(), to), !cycle || item.links().contains(to));
    }

    /** Whether {@code from} reaches {@code target} following links on this board. */
    private static boolean reaches(BoardState s, String from, String target) {
        List<String> todo = new ArrayList<>(List.of(from));
        List<String> seen = new ArrayList<>();
        while (!todo.isEmpty()) {
            String cur = todo.remove(todo.size() - 1);
            if (seen.contains(cur)) continue;
            seen.add(cur);
            Item i = s.item(cur);
            if (i == null) continue;
            for (LinkRef l : i.links()) {
                if (l.item().equals(target)) return true;
                todo.add(l.item());
            }
        }
        return false;
    }

    private Generated invalidOp(BoardState s, List<Item> items, Item item) {
        Map<String, Object> titled = Map.of("title", "x");
        return switch (random.nextInt(11)) {
            case 0 -> invalid(new Op.Create(item.id(), "card", null, null, titled));
            case 1 -> invalid(new Op.SetField("ghost" + random.nextInt(3), "title", "x"));
            case 2 -> {
                List<Item> kids = s.children(item.id());
                yield kids.isEmpty()
                        ? invalid(new Op.Move(item.id(), item.id(), null))
                        : invalid(new Op.Move(item.id(), kids.get(0).id(), null));
            }
            case 3 -> invalid(new Op.Create("i" + nextId++, "card", null, "a00", titled));
            case 4 -> invalid(new Op.Create("i" + nextId++, "widget", null, null, titled));
            case 5 -> invalid(new Op.Create("i" + nextId++, "card", null, null, Map.of("title", "t".repeat(201))));
            case 6 -> invalid(new Op.Create("i" + nextId++, "card", "ghost", null, titled));
            case 7 -> invalid(new Op.Link(item.id(), new LinkRef("other-board", item.id())));
            case 8 -> {
                List<Item> nonGoals = items.stream().filter(i -> !i.type().equals("goal") && !i.id().equals(item.id())).toList();
                yield nonGoals.isEmpty()
                        ? invalid(new Op.Link(item.id(), new LinkRef(BOARD, item.id())))
                        : invalid(new Op.Link(item.id(), new LinkRef(BOARD, nonGoals.get(0).id())));
            }
            case 9 -> invalid(new Op.Move(item.id(), null, "!!"));
            default -> invalid(new Op.Delete("ghost"));
        };
    }

    /** Null (top level) or a random item that is not {@code moving} nor under it. */
    private String randomParent(BoardState s, String moving) {
        if (s.items().isEmpty() || random.nextInt(3) == 0) return null;
        List<String> ids = new ArrayList<>(s.items().keySet());
        for (int attempt = 0; attempt < 5; attempt++) {
            String candidate = ids.get(random.nextInt(ids.size()));
            if (moving == null || !isUnder(s, candidate, moving)) return candidate;
        }
        return null;
    }

    private static boolean isUnder(BoardState s, String candidate, String ancestor) {
        for (String p = candidate; p != null; p = s.item(p).parent()) {
            if (p.equals(ancestor)) return true;
        }
        return false;
    }

    /** Null (after the last sibling) or a key between two neighbours among the children of {@code parent}. */
    private String randomPos(BoardState s, String parent, String moving) {
        if (random.nextBoolean()) return null;
        List<Item> kids = new ArrayList<>(s.children(parent));
        kids.removeIf(i -> i.id().equals(moving));
        int at = random.nextInt(kids.size() + 1);
        String before = at > 0 ? kids.get(at - 1).pos() : null;
        String after = at < kids.size() ? kids.get(at).pos() : null;
        if (before != null && before.equals(after)) return null;
        return FractionalIndex.between(before, after);
    }

    private static Generated valid(Op op) {
        return new Generated(op, true);
    }

    private static Generated invalid(Op op) {
        return new Generated(op, false);
    }
}
