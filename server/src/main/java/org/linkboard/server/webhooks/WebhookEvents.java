package org.linkboard.server.webhooks;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.store.LoggedOp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The event types a webhook may subscribe to, and the events an applied op gives. Events from
 * ops are a pure function of the logged op, so a replay from the log sends the same events with
 * the same ids ({@code <board>:<seq>:<type>}) that a receiver can deduplicate on.
 */
public final class WebhookEvents {

    public static final String OP = "op";
    public static final String ITEM_CREATED = "item.created";
    public static final String ITEM_MOVED = "item.moved";
    public static final String STAGE_CHANGED = "stage.changed";
    /** Published by the linkage through {@link WebhookDispatcher#emit}; not in the op log, not replayed. */
    public static final String ROLLUP_CHANGED = "rollup.changed";
    /** A session joined the board; not in the op log, not replayed. */
    public static final String MEMBER_JOINED = "member.joined";

    public static final Set<String> ALL = Set.of(OP, ITEM_CREATED, ITEM_MOVED, STAGE_CHANGED, ROLLUP_CHANGED, MEMBER_JOINED);

    private WebhookEvents() {
    }

    /** The events of one logged op that {@code wanted} subscribes to, in a fixed order. */
    static List<JsonObject> fromOp(String boardId, LoggedOp op, Set<String> wanted) {
        JsonObject json = new JsonObject(op.opJson());
        String kind = json.getString("kind");
        List<JsonObject> out = new ArrayList<>(2);
        if (wanted.contains(OP)) out.add(base(boardId, op, OP).put("op", json));
        if ("create".equals(kind) && wanted.contains(ITEM_CREATED)) {
            out.add(base(boardId, op, ITEM_CREATED).put("item", json.getString("id")).put("itemType", json.getString("type"))
                    .put("parent", json.getString("parent")).put("fields", json.getJsonObject("fields", new JsonObject())));
        }
        if ("move".equals(kind) && wanted.contains(ITEM_MOVED)) {
            out.add(base(boardId, op, ITEM_MOVED).put("item", json.getString("id")).put("parent", json.getString("parent"))
                    .put("pos", json.getString("pos")));
        }
        boolean stageSet = "set".equals(kind) && "stage".equals(json.getString("field"));
        boolean stageCreated = "create".equals(kind) && json.getJsonObject("fields", new JsonObject()).getValue("stage") != null;
        if ((stageSet || stageCreated) && wanted.contains(STAGE_CHANGED)) {
            Object stage = stageSet ? json.getValue("value") : json.getJsonObject("fields").getValue("stage");
            out.add(base(boardId, op, STAGE_CHANGED).put("item", json.getString("id")).put("stage", stage));
        }
        return out;
    }

    private static JsonObject base(String boardId, LoggedOp op, String type) {
        return new JsonObject().put("id", boardId + ":" + op.seq() + ":" + type).put("type", type).put("board", boardId)
                .put("seq", op.seq()).put("at", Instant.ofEpochMilli(op.at()).toString()).put("by", op.by());
    }

    /** An event that is not an op ({@code rollup.changed}, {@code member.joined}); {@code seq} is the board's version then. */
    static JsonObject transientEvent(String boardId, String type, long seq, JsonObject data) {
        JsonObject e = new JsonObject().put("id", boardId + ":" + seq + ":" + type + ":" + java.util.UUID.randomUUID())
                .put("type", type).put("board", boardId).put("seq", seq).put("at", Instant.now().toString());
        if (data != null) data.forEach(entry -> e.put(entry.getKey(), entry.getValue()));
        return e;
    }
}
