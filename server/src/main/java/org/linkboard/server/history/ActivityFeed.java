package org.linkboard.server.history;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.store.LoggedOp;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns logged ops into readable activity entries: "Alice created card 'Exchange in Korea' in
 * lane 'To do'", "Bob moved card 'X' to lane 'Done'", "Alice set status of card 'X' to done".
 *
 * <p>Item titles come from the ops of the same page first (a title as created or renamed there),
 * then from the board's current items, else the item id: a feed is for reading, not an exact
 * reconstruction. Pure; not thread-safe (one instance per request).
 */
final class ActivityFeed {

    private static final int MAX_VALUE_CHARS = 80;

    private final Map<String, Item> current;
    private final Function<String, String> userName;
    private final Map<String, String> titles = new HashMap<>();
    private final Map<String, String> types = new HashMap<>();

    ActivityFeed(Map<String, Item> current, Function<String, String> userName) {
        this.current = current;
        this.userName = userName;
    }

    /** Entries for {@code ops} (seq order in), newest first out. */
    List<JsonObject> entries(List<LoggedOp> ops) {
        // Learn titles from the page in seq order, so an entry can name items created in it.
        Op[] decoded = new Op[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            decoded[i] = OpCodec.decode(new JsonObject(ops.get(i).opJson()));
            if (decoded[i] instanceof Op.Create c) {
                types.put(c.id(), c.type());
                if (c.fields().get("title") instanceof String t) titles.putIfAbsent(c.id(), t);
            }
        }
        java.util.ArrayList<JsonObject> out = new java.util.ArrayList<>(ops.size());
        for (int i = ops.size() - 1; i >= 0; i--) {
            LoggedOp logged = ops.get(i);
            Op op = decoded[i];
            String who = userName.apply(logged.by());
            out.add(new JsonObject().put("seq", logged.seq()).put("at", Instant.ofEpochMilli(logged.at()).toString())
                    .put("by", new JsonObject().put("id", logged.by()).put("name", who))
                    .put("kind", op.kind()).put("item", op.id()).put("summary", who + " " + describe(op)));
        }
        return out;
    }

    private String describe(Op op) {
        if (op instanceof Op.Create c) {
            String s = "created " + c.type() + " " + quoted(c.id());
            return c.parent() == null ? s : s + " in " + place(c.parent());
        }
        if (op instanceof Op.SetField s) {
            if (s.value() == null) return "cleared " + s.field() + " of " + ref(s.id());
            return "set " + s.field() + " of " + ref(s.id()) + " to " + value(s.value());
        }
        if (op instanceof Op.Move m) {
            return "moved " + ref(m.id()) + " to " + (m.parent() == null ? "the top level" : place(m.parent()));
        }
        if (op instanceof Op.Delete d) return "deleted " + ref(d.id());
        if (op instanceof Op.Link l) return "linked " + ref(l.id()) + " to " + target(l.to());
        if (op instanceof Op.Unlink u) return "unlinked " + ref(u.id()) + " from " + target(u.to());
        return op.kind() + " " + op.id();
    }

    private String target(LinkRef to) {
        if (to == null) return "?";
        boolean local = current.containsKey(to.item()) || titles.containsKey(to.item());
        return local ? ref(to.item()) : "goal " + to.item() + " on board " + to.board();
    }

    private String place(String parent) {
        return ref(parent);
    }

    private String ref(String id) {
        return type(id) + " " + quoted(id);
    }

    private String type(String id) {
        String t = types.get(id);
        if (t == null && current.get(id) != null) t = current.get(id).type();
        return t == null ? "item" : t;
    }

    private String quoted(String id) {
        String t = titles.get(id);
        if (t == null && current.get(id) != null && current.get(id).fields().get("title") instanceof String s) t = s;
        return "'" + shorten(t == null ? id : t) + "'";
    }

    private static String value(Object v) {
        if (v instanceof String s) return shorten(s);
        return shorten(String.valueOf(v));
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }
}
