package org.linkboard.server.board;

import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.StageSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The items of one board at a version, and {@link #apply(Op, long)}: the deterministic core that
 * every replica (board actor, cluster node, test, web client) runs, so that all who apply ops
 * 1..N hold the same items (CONTRACT §4).
 *
 * <p><b>Total and deterministic.</b> {@code apply} never throws and depends only on this state
 * and the op. It guards the <em>structure</em> of the board: ids are well-formed and unique,
 * parents exist, the parent relation has no cycle, every pos is a valid key, same-board links
 * point at existing items without cycles. An op that would break that changes nothing (only the
 * version moves). It does <em>not</em> judge types or field values: that is
 * {@link OpValidator}'s job before an op gets a seq, and it depends on which modules are loaded,
 * which must not change how an already accepted log replays.
 *
 * <p><b>Threading.</b> Not thread-safe: owned by one board actor (one Vert.x context). Items
 * returned are live; {@link #copy()} gives an independent state.
 *
 * <p><b>Cost.</b> Siblings are kept in sorted sets per parent, so create, move and "after the
 * last sibling" are O(log siblings); delete is O(subtree + links into it); no op copies the
 * board or sorts all siblings.
 */
public final class BoardState {

    /** Siblings order by pos, then id (CONTRACT §4). */
    static final Comparator<Item> SIBLING_ORDER = (a, b) -> {
        int c = a.pos.compareTo(b.pos);
        return c != 0 ? c : a.id().compareTo(b.id());
    };

    /** Key of the top level in {@link #childrenByParent}; not a valid item id, so never clashes. */
    private static final String TOP = "";

    private final String boardId;
    private long version;
    /** Insertion (creation) order, so iteration and snapshots are the same on every replica. */
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, Item> itemsView = Collections.unmodifiableMap(items);
    private final Map<String, TreeSet<Item>> childrenByParent = new HashMap<>();
    /** For each item of this board: ids of the items of this board that link to it. */
    private final Map<String, Set<String>> linkedFrom = new HashMap<>();

    /** An empty board at version 0. */
    public BoardState(String boardId) {
        this.boardId = boardId;
    }

    public String boardId() {
        return boardId;
    }

    /** The seq of the last applied op (0 for a new board). */
    public long version() {
        return version;
    }

    /** The item, or null if absent. */
    public Item item(String id) {
        return id == null ? null : items.get(id);
    }

    /** Unmodifiable live view of all items by id, in creation order. */
    public Map<String, Item> items() {
        return itemsView;
    }

    /** The children of {@code parentId} (null = top level), ordered by pos, then id. */
    public List<Item> children(String parentId) {
        TreeSet<Item> set = childrenByParent.get(parentId == null ? TOP : parentId);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** Ids of the items on this board that link to {@code itemId}, sorted. */
    public List<String> linkedFrom(String itemId) {
        Set<String> s = linkedFrom.get(itemId);
        if (s == null || s.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(s);
        Collections.sort(out);
        return out;
    }

    // ---- completion -------------------------------------------------------------------------

    /**
     * The server's completed form of {@code op}, as logged and broadcast: a {@code create} or
     * {@code move} without pos gets a pos after the last sibling (other than itself), and a
     * {@code create} of a type with stages and no {@code stage} field starts in the first stage.
     * Returns {@code op} itself when nothing is missing. Never mutates the state; never throws.
     */
    public Op complete(Op op, ItemTypes types) {
        if (op instanceof Op.Create c) {
            Op.Create out = c;
            if (c.pos() == null) out = out.withPos(FractionalIndex.after(lastSiblingPos(c.parent(), null)));
            ItemTypeSpec spec = types == null || c.type() == null ? null : types.find(c.type());
            if (spec != null && !spec.stages().isEmpty() && c.fields().get("stage") == null) {
                Map<String, Object> fields = new LinkedHashMap<>(c.fields());
                fields.put("stage", spec.stages().get(0).id());
                out = new Op.Create(out.id(), out.type(), out.parent(), out.pos(), fields);
            }
            return out;
        }
        if (op instanceof Op.Move m && m.pos() == null) {
            return new Op.Move(m.id(), m.parent(), FractionalIndex.after(lastSiblingPos(m.parent(), m.id())));
        }
        return op;
    }

    /** Pos of the last child of parent other than {@code exclude}, or null if there is none. */
    private String lastSiblingPos(String parent, String exclude) {
        TreeSet<Item> set = childrenByParent.get(parent == null ? TOP : parent);
        if (set == null || set.isEmpty()) return null;
        Item last = set.last();
        if (exclude != null && last.id().equals(exclude)) {
            last = set.lower(last);
            if (last == null) return null;
        }
        return last.pos;
    }

    // ---- apply ------------------------------------------------------------------------------

    /**
     * Applies {@code op} as the op of seq {@code seq}; the version becomes {@code seq} whatever
     * happens. Returns the ids of the items changed or removed, in a deterministic order (empty
     * when the op changed nothing, e.g. because it is not applicable to this state). Never throws.
     */
    public List<String> apply(Op op, long seq) {
        version = seq;
        if (op == null || op.id() == null) return List.of();
        if (op instanceof Op.Create c) return create(c);
        if (op instanceof Op.SetField s) return set(s);
        if (op instanceof Op.Move m) return move(m);
        if (op instanceof Op.Delete d) return delete(d);
        if (op instanceof Op.Link l) return link(l);
        if (op instanceof Op.Unlink u) return unlink(u);
        return List.of();
    }

    private List<String> create(Op.Create c) {
        if (!Identifiers.isItemId(c.id()) || items.containsKey(c.id())) return List.of();
        if (c.type() == null || c.type().isEmpty()) return List.of();
        if (c.parent() != null && !items.containsKey(c.parent())) return List.of();
        String pos = c.pos();
        if (pos == null) {
            pos = FractionalIndex.after(lastSiblingPos(c.parent(), null));
        } else if (!FractionalIndex.isValid(pos)) {
            return List.of();
        }
        // A null in a create means "not set": the item's fields leave nulls out.
        Item item = new Item(c.id(), c.type(), c.parent(), pos, c.fields(), List.of());
        items.put(item.id(), item);
        siblings(item.parent).add(item);
        return List.of(item.id());
    }

    private List<String> set(Op.SetField s) {
        Item item = items.get(s.id());
        if (item == null || s.field() == null || s.field().isEmpty()) return List.of();
        return item.setField(s.field(), s.value()) ? List.of(item.id()) : List.of();
    }

    private List<String> move(Op.Move m) {
        Item item = items.get(m.id());
        if (item == null) return List.of();
        String parent = m.parent();
        if (parent != null && (!items.containsKey(parent) || isSelfOrDescendant(parent, item.id()))) {
            return List.of();
        }
        String pos = m.pos();
        if (pos == null) {
            pos = FractionalIndex.after(lastSiblingPos(parent, item.id()));
        } else if (!FractionalIndex.isValid(pos)) {
            return List.of();
        }
        if (Objects.equals(parent, item.parent) && pos.equals(item.pos)) return List.of();
        // Remove before changing pos/parent: the sorted set locates the item by them.
        removeFromSiblings(item);
        item.parent = parent;
        item.pos = pos;
        siblings(parent).add(item);
        return List.of(item.id());
    }

    /** Whether {@code candidate} is {@code ancestor} or lies under it (walks up the parent chain). */
    private boolean isSelfOrDescendant(String candidate, String ancestor) {
        String p = candidate;
        // The parent relation is kept acyclic, so this ends; the bound is a guard against bugs.
        for (int steps = 0; p != null && steps <= items.size(); steps++) {
            if (p.equals(ancestor)) return true;
            Item i = items.get(p);
            p = i == null ? null : i.parent;
        }
        return false;
    }

    private List<String> delete(Op.Delete d) {
        Item root = items.get(d.id());
        if (root == null) return List.of();
        List<Item> removed = subtree(root);
        removeFromSiblings(root);
        Set<String> removedIds = new HashSet<>(removed.size() * 2);
        for (Item r : removed) {
            items.remove(r.id());
            childrenByParent.remove(r.id());
            removedIds.add(r.id());
        }
        List<String> changed = new ArrayList<>(removed.size() + 4);
        for (Item r : removed) changed.add(r.id());
        // Links of removed items no longer count towards their targets.
        for (Item r : removed) {
            for (LinkRef l : r.links()) {
                if (boardId.equals(l.board())) unindexLink(r.id(), l.item());
            }
        }
        // Remaining items lose their links to removed items; sorted so every replica reports the same order.
        TreeSet<String> sources = new TreeSet<>();
        for (Item r : removed) {
            Set<String> from = linkedFrom.remove(r.id());
            if (from != null) sources.addAll(from);
        }
        for (String sourceId : sources) {
            Item source = items.get(sourceId);
            if (source == null) continue;
            boolean dropped = source.removeLinks(l -> boardId.equals(l.board()) && removedIds.contains(l.item()));
            if (dropped) changed.add(sourceId);
        }
        return changed;
    }

    /** The item and everything under it, pre-order, children in sibling order. */
    private List<Item> subtree(Item root) {
        List<Item> out = new ArrayList<>();
        ArrayDeque<Item> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Item i = stack.pop();
            out.add(i);
            TreeSet<Item> kids = childrenByParent.get(i.id());
            if (kids != null) {
                for (Iterator<Item> it = kids.descendingIterator(); it.hasNext(); ) stack.push(it.next());
            }
        }
        return out;
    }

    private List<String> link(Op.Link l) {
        Item item = items.get(l.id());
        LinkRef to = l.to();
        if (item == null || to == null || to.board() == null || to.item() == null) return List.of();
        if (item.links().contains(to)) return List.of();
        if (boardId.equals(to.board())) {
            if (!items.containsKey(to.item()) || linkWouldCycle(item.id(), to.item())) return List.of();
            linkedFrom.computeIfAbsent(to.item(), k -> new LinkedHashSet<>()).add(item.id());
        }
        item.addLink(to);
        return List.of(item.id());
    }

    /**
     * Whether a link from {@code from} to {@code target} (both on this board) closes a cycle:
     * {@code target} is {@code from}, or reaches it through links on this board.
     */
    boolean linkWouldCycle(String from, String target) {
        if (from.equals(target)) return true;
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.push(target);
        while (!todo.isEmpty()) {
            String cur = todo.pop();
            if (!seen.add(cur)) continue;
            Item i = items.get(cur);
            if (i == null) continue;
            for (LinkRef l : i.links()) {
                if (!boardId.equals(l.board())) continue;
                if (l.item().equals(from)) return true;
                todo.push(l.item());
            }
        }
        return false;
    }

    private List<String> unlink(Op.Unlink u) {
        Item item = items.get(u.id());
        if (item == null || u.to() == null || !item.removeLinks(u.to()::equals)) return List.of();
        if (boardId.equals(u.to().board())) unindexLink(item.id(), u.to().item());
        return List.of(item.id());
    }

    private void unindexLink(String source, String target) {
        Set<String> s = linkedFrom.get(target);
        if (s != null) {
            s.remove(source);
            if (s.isEmpty()) linkedFrom.remove(target);
        }
    }

    private TreeSet<Item> siblings(String parent) {
        return childrenByParent.computeIfAbsent(parent == null ? TOP : parent, k -> new TreeSet<>(SIBLING_ORDER));
    }

    private void removeFromSiblings(Item item) {
        String key = item.parent == null ? TOP : item.parent;
        TreeSet<Item> set = childrenByParent.get(key);
        if (set != null) {
            set.remove(item);
            if (set.isEmpty()) childrenByParent.remove(key);
        }
    }

    // ---- snapshots --------------------------------------------------------------------------

    /** The snapshot {@code items} object: {@code {"id": item.toMap(), …}}, detached from this state. */
    public Map<String, Object> itemsToMap() {
        return itemsToMap(items.values());
    }

    /**
     * Detached copies of the items in snapshot order: one small object per item, so a board of a
     * million items is copied on its event loop in milliseconds, and turned into maps and JSON
     * ({@link #itemsToMap(Collection)}) on a worker.
     */
    public List<Item> detachedItems() {
        List<Item> out = new ArrayList<>(items.size());
        for (Item i : items.values()) out.add(i.copy());
        return out;
    }

    /**
     * The JSON of {@link #itemsToMap(Collection)}, written straight from the items (any thread).
     * Building the maps first made ten or so short-lived objects per item, alive for as long as a
     * big board's snapshot took to encode: every young collection in that time copied them (pauses
     * of 100–235 ms while a 500 000-card board wrote its snapshot).
     */
    public static String encodeItems(Collection<Item> detached) {
        return new String(itemsJson(detached, Map.of()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@link #encodeItems}'s JSON as UTF-8, except that an item with an entry in {@code shownInstead}
     * is written as that map (an item with derived members, {@link SnapshotDecorator}); any thread.
     */
    static byte[] itemsJson(Collection<Item> detached, Map<String, ?> shownInstead) {
        return JsonValues.write(g -> {
            g.writeStartObject();
            for (Item i : detached) {
                g.writeFieldName(i.id());
                Object shown = shownInstead.isEmpty() ? null : shownInstead.get(i.id());
                if (shown == null) i.writeJson(g); else io.vertx.core.json.jackson.JacksonCodec.encodeJson(shown, g);
            }
            g.writeEndObject();
        });
    }

    /** The snapshot {@code items} object of detached items (any thread). */
    public static Map<String, Object> itemsToMap(Collection<Item> detached) {
        Map<String, Object> out = new LinkedHashMap<>(detached.size() * 2);
        for (Item i : detached) out.put(i.id(), i.toMap());
        return out;
    }

    /**
     * The state of a snapshot: {@code items} as produced by {@link #itemsToMap()} (or that JSON
     * read back as plain maps) at {@code version}. Throws {@link IllegalArgumentException} when an
     * item does not have the item shape.
     */
    public static BoardState fromSnapshot(String boardId, long version, Map<String, Object> items) {
        BoardState s = new BoardState(boardId);
        s.version = version;
        for (Map.Entry<String, Object> e : items.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("snapshot item " + e.getKey() + " is not an object");
            }
            s.insertLoaded(checkedSnapshotItem(e.getKey(), Item.fromMap(m)));
        }
        return s;
    }

    /**
     * {@link #fromSnapshot} of the snapshot's JSON text, read in one pass straight into items
     * (no intermediate maps): what loading a big board costs most. Throws
     * {@link IllegalArgumentException} for malformed JSON or an item without the item shape.
     */
    public static BoardState fromSnapshotJson(String boardId, long version, String itemsJson) {
        BoardState s = new BoardState(boardId);
        s.version = version;
        try (com.fasterxml.jackson.core.JsonParser p = JsonValues.parser(itemsJson)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a snapshot's items must be a JSON object");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (!(JsonValues.read(p) instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("snapshot item " + key + " is not an object");
                }
                s.insertLoaded(checkedSnapshotItem(key, Item.fromCanonicalMap(m)));
            }
            if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after a snapshot's items");
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("malformed snapshot JSON: " + e.getMessage(), e);
        }
        return s;
    }

    private static Item checkedSnapshotItem(String key, Item item) {
        if (!Identifiers.isItemId(item.id()) || !FractionalIndex.isValid(item.pos())) {
            throw new IllegalArgumentException("snapshot item " + key + " has a bad id or pos");
        }
        return item;
    }

    /** An independent copy (items copied; their immutable field values shared). */
    public BoardState copy() {
        return ofItems(boardId, version, detachedItems());
    }

    /**
     * A state made of {@code detached} items (as {@link #detachedItems} gives them, which then
     * belong to it) at {@code version}: on any thread, e.g. a worker that walks a copy of a board
     * while its actor goes on.
     */
    public static BoardState ofItems(String boardId, long version, java.util.Collection<Item> detached) {
        BoardState s = new BoardState(boardId);
        s.version = version;
        for (Item i : detached) s.insertLoaded(i);
        return s;
    }

    private void insertLoaded(Item item) {
        items.put(item.id(), item);
        siblings(item.parent).add(item);
        for (LinkRef l : item.links()) {
            if (boardId.equals(l.board())) {
                linkedFrom.computeIfAbsent(l.item(), k -> new LinkedHashSet<>()).add(item.id());
            }
        }
    }

    @Override
    public String toString() {
        return "BoardState{" + boardId + "@" + version + ", " + items.size() + " items}";
    }
}
