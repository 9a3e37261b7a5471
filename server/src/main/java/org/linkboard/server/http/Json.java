package org.linkboard.server.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;

import java.time.Instant;

/** The JSON shapes of CONTRACT §3 and §4 for stored records; passwords never leave here. */
public final class Json {

    private Json() {
    }

    public static JsonObject unit(UnitRecord u) {
        return new JsonObject().put("id", u.id()).put("name", u.name()).put("kind", u.kind()).put("parent", u.parent());
    }

    public static JsonObject user(UserRecord u) {
        return new JsonObject().put("id", u.id()).put("username", u.username()).put("name", u.name())
                .put("unit", u.unit()).put("roles", new JsonArray(u.roles()));
    }

    public static JsonObject board(BoardRecord b, long version) {
        return new JsonObject().put("id", b.id()).put("title", b.title()).put("unit", b.unit())
                .put("createdAt", Instant.ofEpochMilli(b.createdAt()).toString()).put("version", version);
    }

    /** A logged op as the history endpoint and the export give it: {@code {seq, op, by, cid, at}}. */
    public static JsonObject loggedOp(LoggedOp op) {
        return new JsonObject().put("seq", op.seq()).put("op", new JsonObject(op.opJson())).put("by", op.by())
                .put("cid", op.cid()).put("at", Instant.ofEpochMilli(op.at()).toString());
    }
}
