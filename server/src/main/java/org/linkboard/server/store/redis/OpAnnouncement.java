package org.linkboard.server.store.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.store.LoggedOp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the append script publishes on the cluster channel in the same atomic step as it appends:
 * the node that appended, the board and the ops. Because the publish is part of the script, every
 * committed op is announced exactly once, in commit order, even when the appending node dies the
 * next instant. Other nodes apply it to their replicas; a lost message shows up as a seq gap and
 * is read back from the log.
 *
 * <p>Wire form: {@code {"t":"ops","n":node,"b":board,"ops":[[seq,at,by,cid,opJson]…]}}, the op
 * kept as JSON text so every replica applies exactly the bytes that were logged.
 */
public record OpAnnouncement(String node, String boardId, List<LoggedOp> ops) {

    public static final String TYPE = "ops";

    public String encode() {
        JsonArray list = new JsonArray();
        for (LoggedOp op : ops) {
            list.add(new JsonArray().add(op.seq()).add(op.at()).add(op.by()).add(op.cid()).add(op.opJson()));
        }
        return new JsonObject().put("t", TYPE).put("n", node).put("b", boardId).put("ops", list).encode();
    }

    /** Decodes the announcement from a parsed cluster message whose {@code t} is {@link #TYPE}. */
    public static OpAnnouncement decode(JsonObject message) {
        JsonArray list = message.getJsonArray("ops");
        List<LoggedOp> ops = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonArray a = list.getJsonArray(i);
            ops.add(new LoggedOp(a.getLong(0), a.getString(4), a.getString(2), a.getString(3), a.getLong(1)));
        }
        return new OpAnnouncement(message.getString("n"), message.getString("b"), ops);
    }
}
