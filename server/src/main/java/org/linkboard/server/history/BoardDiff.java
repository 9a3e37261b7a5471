package org.linkboard.server.history;

import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ops that turn one board state into another (restore to a named version). Applied in order
 * to {@code from}, they give {@code to}'s items exactly:
 * <ol>
 *   <li>create the items only {@code to} has, parents first (fields and pos as in {@code to});</li>
 *   <li>move the items whose parent or pos differ, in {@code to}'s depth order — so an item's new
 *       parent is already where {@code to} has it and no move is under its own descendant;</li>
 *   <li>set the fields that differ ({@code null} removes a field);</li>
 *   <li>unlink links only {@code from} has, link those only {@code to} has;</li>
 *   <li>delete the topmost items only {@code from} has (their subtrees hold no kept item any more).</li>
 * </ol>
 * Pure; never mutates either state.
 */
public final class BoardDiff {

    private BoardDiff() {
    }

    public static List<Op> between(BoardState from, BoardState to) {
        Map<String, Item> cur = from.items();
        Map<String, Item> old = to.items();
        Map<String, Integer> depth = new HashMap<>();
        List<Item> target = new ArrayList<>(old.values());
        for (Item i : target) depthOf(i, old, depth);
        target.sort(Comparator.comparingInt((Item i) -> depth.get(i.id())).thenComparing(Item::id));

        List<Op> ops = new ArrayList<>();
        for (Item i : target) {
            if (!cur.containsKey(i.id())) {
                ops.add(new Op.Create(i.id(), i.type(), i.parent(), i.pos(), i.fields()));
            }
        }
        for (Item i : target) {
            Item c = cur.get(i.id());
            if (c != null && (!Objects.equals(c.parent(), i.parent()) || !Objects.equals(c.pos(), i.pos()))) {
                ops.add(new Op.Move(i.id(), i.parent(), i.pos()));
            }
        }
        for (Item i : target) {
            Item c = cur.get(i.id());
            if (c == null) continue;
            Set<String> names = new LinkedHashSet<>(c.fields().keySet());
            names.addAll(i.fields().keySet());
            for (String f : names) {
                Object want = i.fields().get(f);
                if (!Objects.equals(c.fields().get(f), want)) ops.add(new Op.SetField(i.id(), f, want));
            }
        }
        for (Item i : target) {
            Item c = cur.get(i.id());
            List<LinkRef> have = c == null ? List.of() : c.links();
            for (LinkRef l : have) if (!i.links().contains(l)) ops.add(new Op.Unlink(i.id(), l));
        }
        // Links from items that will be deleted to anything: dropped with the item.
        for (Item i : target) {
            Item c = cur.get(i.id());
            List<LinkRef> have = c == null ? List.of() : c.links();
            for (LinkRef l : i.links()) if (!have.contains(l)) ops.add(new Op.Link(i.id(), l));
        }
        List<Item> gone = new ArrayList<>();
        for (Item c : cur.values()) {
            if (old.containsKey(c.id())) continue;
            String p = c.parent();
            boolean parentAlsoGone = p != null && cur.containsKey(p) && !old.containsKey(p);
            if (!parentAlsoGone) gone.add(c);
        }
        gone.sort(Comparator.comparing(Item::id));
        for (Item c : gone) ops.add(new Op.Delete(c.id()));
        return ops;
    }

    private static int depthOf(Item i, Map<String, Item> items, Map<String, Integer> memo) {
        Integer d = memo.get(i.id());
        if (d != null) return d;
        Item parent = i.parent() == null ? null : items.get(i.parent());
        int v = parent == null ? 0 : depthOf(parent, items, memo) + 1;
        memo.put(i.id(), v);
        return v;
    }
}
