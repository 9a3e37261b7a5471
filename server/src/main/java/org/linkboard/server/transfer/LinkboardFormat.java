package org.linkboard.server.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;
import org.linkboard.server.http.Json;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Linkboard board export format (version 1) and its import:
 * <pre>{"format":"linkboard","formatVersion":1,"exportedAt","board":{…},"version":N,
 *  "items":{"id":item…},"history":[{"seq","op","by","cid","at"}…]?}</pre>
 * Import keeps item ids (a new board has none yet) and positions, and points links to goals of the
 * exported board at the new board; history is not replayed (the import is new history). Pure
 * functions; no I/O.
 */
final class LinkboardFormat {

    static final String FORMAT = "linkboard";

    private LinkboardFormat() {
    }

    static JsonObject export(BoardRecord board, long version, JsonObject items, List<LoggedOp> history) {
        JsonObject out = new JsonObject().put("format", FORMAT).put("formatVersion", 1)
                .put("exportedAt", Instant.now().toString())
                .put("board", Json.board(board, version))
                .put("version", version).put("items", items);
        if (history != null) {
            JsonArray h = new JsonArray();
            for (LoggedOp op : history) h.add(Json.loggedOp(op));
            out.put("history", h);
        }
        return out;
    }

    /** The plan to rebuild {@code data} on the board {@code newBoardId}; VALIDATION_FAILED naming the field. */
    static ImportPlan plan(JsonObject data, String newBoardId, String title) {
        Object rawItems = data.getValue("items");
        if (!(rawItems instanceof JsonObject itemsJson)) throw invalid("data.items", "an export has an 'items' object");
        String oldBoardId = data.getJsonObject("board") == null ? null : data.getJsonObject("board").getString("id");
        if (title == null && data.getValue("board") instanceof JsonObject b && b.getValue("title") instanceof String t) title = t;
        Map<String, Item> items = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : itemsJson) {
            String field = "data.items." + e.getKey();
            if (!(e.getValue() instanceof JsonObject o)) throw invalid(field, "an item is an object");
            Item item;
            try {
                item = Item.fromMap(o.getMap());
            } catch (IllegalArgumentException ex) {
                throw invalid(field, ex.getMessage());
            }
            if (!item.id().equals(e.getKey())) throw invalid(field + ".id", "the item's id differs from its key");
            items.put(item.id(), item);
        }
        Map<String, Integer> depth = new HashMap<>();
        for (Item item : items.values()) depth(item, items, depth, 0);
        List<Item> ordered = new ArrayList<>(items.values());
        ordered.sort(Comparator.comparingInt((Item i) -> depth.get(i.id())).thenComparing(Item::pos).thenComparing(Item::id));
        List<Op> ops = new ArrayList<>();
        List<Op.Link> sameBoardLinks = new ArrayList<>();
        List<Op.Link> crossBoard = new ArrayList<>();
        for (Item item : ordered) {
            ops.add(new Op.Create(item.id(), item.type(), item.parent(), item.pos(), new LinkedHashMap<>(item.fields())));
            for (LinkRef l : item.links()) {
                boolean same = l.board().equals(oldBoardId) || l.board().equals(newBoardId);
                if (same) {
                    sameBoardLinks.add(new Op.Link(item.id(), new LinkRef(newBoardId, l.item())));
                } else {
                    crossBoard.add(new Op.Link(item.id(), l));
                }
            }
        }
        ops.addAll(sameBoardLinks);
        return new ImportPlan(title, ops, crossBoard, 0);
    }

    private static int depth(Item item, Map<String, Item> items, Map<String, Integer> memo, int guard) {
        Integer known = memo.get(item.id());
        if (known != null) return known;
        if (guard > items.size()) throw invalid("data.items." + item.id() + ".parent", "the parents make a cycle");
        int d = 0;
        if (item.parent() != null) {
            Item parent = items.get(item.parent());
            if (parent == null) throw invalid("data.items." + item.id() + ".parent", "parent '" + item.parent() + "' is not in the export");
            d = depth(parent, items, memo, guard + 1) + 1;
        }
        memo.put(item.id(), d);
        return d;
    }

    static LinkboardException invalid(String field, String message) {
        return LinkboardException.invalidField(field, message);
    }

    /** CSV of the cards of a state: one row per card, in board order (lanes, then pos). */
    static String csv(BoardState state) {
        StringBuilder sb = new StringBuilder("id,lane,title,status,assignee,due,progress,tags,description\r\n");
        appendCards(state, null, null, sb);
        return sb.toString();
    }

    private static void appendCards(BoardState state, String parent, String lane, StringBuilder sb) {
        for (Item item : state.children(parent)) {
            String laneHere = "lane".equals(item.type()) ? str(item.fields().get("title")) : lane;
            if ("card".equals(item.type())) {
                Map<String, Object> f = item.fields();
                List<String> cells = List.of(item.id(), laneHere == null ? "" : laneHere, str(f.get("title")), str(f.get("status")),
                        str(f.get("assignee")), str(f.get("due")), str(f.get("progress")), tags(f.get("tags")), str(f.get("description")));
                for (int i = 0; i < cells.size(); i++) {
                    if (i > 0) sb.append(',');
                    sb.append(cell(cells.get(i)));
                }
                sb.append("\r\n");
            }
            appendCards(state, item.id(), laneHere, sb);
        }
    }

    private static String tags(Object v) {
        if (!(v instanceof List<?> l)) return str(v);
        List<String> out = new ArrayList<>();
        for (Object o : l) out.add(String.valueOf(o));
        return String.join("; ", out);
    }

    private static String str(Object v) {
        if (v == null) return "";
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d.longValue());
        return String.valueOf(v);
    }

    /** RFC 4180 quoting; a leading =,+,-,@ is prefixed with ' so spreadsheets do not run it as a formula. */
    static String cell(String s) {
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) s = "'" + s;
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
