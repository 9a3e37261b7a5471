package org.linkboard.server.plugins;

import org.linkboard.api.BoardView;
import org.linkboard.api.ItemView;
import org.linkboard.api.LinkRef;
import org.linkboard.api.OpView;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.Op;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the board engine's values into the plugin API's read-only views. The engine's
 * {@link Item}s are live (changed in place by the state), so every view is a copy made on the
 * thread that owns the state. Public for the plugin test kit.
 */
public final class BoardViews {

    private BoardViews() {
    }

    public static ItemView item(Item i) {
        if (i == null) return null;
        List<LinkRef> links = new ArrayList<>(i.links().size());
        i.links().forEach(l -> links.add(new LinkRef(l.board(), l.item())));
        return new ItemView(i.id(), i.type(), i.parent(), i.pos(), i.fields(), links);
    }

    /** The view of {@code op}, whose target item has type {@code type}. */
    public static OpView op(Op op, String type) {
        if (op instanceof Op.Create c) return OpView.create(c.id(), c.type(), c.parent(), c.pos(), c.fields());
        if (op instanceof Op.SetField s) return OpView.set(s.id(), type, s.field(), s.value());
        if (op instanceof Op.Move m) return OpView.move(m.id(), type, m.parent(), m.pos());
        if (op instanceof Op.Delete d) return OpView.delete(d.id(), type);
        if (op instanceof Op.Link l) return OpView.link(l.id(), type, ref(l.to()));
        if (op instanceof Op.Unlink u) return OpView.unlink(u.id(), type, ref(u.to()));
        throw new IllegalArgumentException("unknown op " + op);
    }

    private static LinkRef ref(org.linkboard.server.board.LinkRef r) {
        return r == null || r.board() == null || r.item() == null ? null : new LinkRef(r.board(), r.item());
    }

    /** The type of the item {@code op} targets on {@code state} (the created type for a create), or null. */
    public static String targetType(BoardState state, Op op) {
        if (op instanceof Op.Create c) return c.type();
        Item i = state.item(op.id());
        return i == null ? null : i.type();
    }

    /**
     * A view over the live state, for validate hooks: valid only while the board actor holds its
     * intake for the gate (the state does not change then). Items are converted when read.
     */
    public static BoardView live(String boardId, String unit, BoardState state) {
        return new BoardView() {
            @Override public String boardId() { return boardId; }
            @Override public String unit() { return unit; }
            @Override public long version() { return state.version(); }
            @Override public ItemView item(String id) { return BoardViews.item(state.item(id)); }

            @Override
            public Collection<ItemView> items() {
                List<ItemView> out = new ArrayList<>(state.items().size());
                for (Item i : state.items().values()) out.add(BoardViews.item(i));
                return Collections.unmodifiableList(out);
            }

            @Override
            public List<ItemView> children(String parentId) {
                List<ItemView> out = new ArrayList<>();
                for (Item i : state.children(parentId)) out.add(BoardViews.item(i));
                return Collections.unmodifiableList(out);
            }
        };
    }

    /** A detached, immutable copy of the whole board; call on the state's owner thread. */
    public static BoardView detached(String boardId, String unit, BoardState state) {
        Map<String, ItemView> items = new LinkedHashMap<>();
        for (Item i : state.items().values()) items.put(i.id(), item(i));
        return detached(boardId, unit, state.version(), items);
    }

    static BoardView detached(String boardId, String unit, long version, Map<String, ItemView> items) {
        Map<String, ItemView> byId = Collections.unmodifiableMap(new LinkedHashMap<>(items));
        return new BoardView() {
            @Override public String boardId() { return boardId; }
            @Override public String unit() { return unit; }
            @Override public long version() { return version; }
            @Override public ItemView item(String id) { return byId.get(id); }
            @Override public Collection<ItemView> items() { return byId.values(); }

            @Override
            public List<ItemView> children(String parentId) {
                List<ItemView> out = new ArrayList<>();
                for (ItemView i : byId.values()) {
                    if (parentId == null ? i.parent() == null : parentId.equals(i.parent())) out.add(i);
                }
                out.sort(Comparator.comparing(ItemView::pos, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ItemView::id));
                return Collections.unmodifiableList(out);
            }
        };
    }
}
