package org.linkboard.server.store.redis;

/**
 * The key layout of the Redis store, under a configurable prefix ({@code --redis-prefix}, default
 * {@code lb}). Redis Cluster compatible: every key a script touches at once shares one hash tag.
 *
 * <ul>
 *   <li>Per board, tag {@code {board:ID}}: {@code P:{board:ID}} (hash: title, unit, createdAt,
 *       archived, version), {@code …:ops} (list; element i holds seq i+1), {@code …:cids} (hash
 *       {@code user\ncid} → seq), {@code …:cidlog} (list {@code seq\nuser\ncid}, oldest first, to
 *       trim the cid hash), {@code …:snap} (hash: version, items), {@code …:versions} (named
 *       versions).</li>
 *   <li>Directory, tag {@code {dir}}: boards index (zset by createdAt), units and their order,
 *       users, usernames and their order, module enablement and settings, meta, a counter, the
 *       audit log, webhooks and their cursors.</li>
 *   <li>Pub/sub channel {@code P:cluster} carries every announcement between nodes.</li>
 * </ul>
 *
 * <p>Extension point: a new per-board structure is {@link #board(String, String)} with a new suffix,
 * a new organisation-wide one {@link #directory(String)}; scripts that touch several keys must keep
 * them under one tag. Immutable, thread-safe.
 */
public final class RedisKeys {

    private final String prefix;

    public RedisKeys(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("redis prefix must be non-empty and without braces: '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The board's record hash. */
    public String board(String boardId) {
        return prefix + ":{board:" + boardId + "}";
    }

    /** A structure of the board, in the board's hash slot. */
    public String board(String boardId, String suffix) {
        return board(boardId) + ":" + suffix;
    }

    public String ops(String boardId) {
        return board(boardId, "ops");
    }

    public String cids(String boardId) {
        return board(boardId, "cids");
    }

    public String cidLog(String boardId) {
        return board(boardId, "cidlog");
    }

    public String snapshot(String boardId) {
        return board(boardId, "snap");
    }

    /** The board's named versions (list of JSON, in the order they were named). */
    public String namedVersions(String boardId) {
        return board(boardId, "versions");
    }

    /** An organisation-wide structure; all of them share the {@code {dir}} slot. */
    public String directory(String suffix) {
        return prefix + ":{dir}:" + suffix;
    }

    public String boardIndex() {
        return directory("boards");
    }

    public String units() {
        return directory("units");
    }

    public String unitOrder() {
        return directory("units:order");
    }

    public String users() {
        return directory("users");
    }

    public String usernames() {
        return directory("usernames");
    }

    public String userOrder() {
        return directory("users:order");
    }

    public String modules() {
        return directory("modules");
    }

    public String moduleSettings() {
        return directory("module-settings");
    }

    public String meta() {
        return directory("meta");
    }

    public String counter() {
        return directory("counter");
    }

    /** Audit records: zset by id, member {@code id\njson}. */
    public String audit() {
        return directory("audit");
    }

    /** Webhook subscriptions: hash id → JSON (without the cursor). */
    public String webhooks() {
        return directory("webhooks");
    }

    /** Webhook delivery cursors: hash id → seq (written often, kept apart from the subscription). */
    public String webhookCursors() {
        return directory("webhook-cursors");
    }

    /** The pub/sub channel between the nodes that share this prefix. */
    public String clusterChannel() {
        return prefix + ":cluster";
    }
}
