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
 *   <li>Per user, tag {@code {user:ID}}: notifications, their order and read marks.</li>
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

    /** A user's notifications: hash id → JSON; {@link #notificationTimes} orders them; {@link #notificationsRead}. */
    public String notifications(String userId) {
        return prefix + ":{user:" + userId + "}:notes";
    }

    /** Zset id by {@code at}. */
    public String notificationTimes(String userId) {
        return notifications(userId) + ":by-time";
    }

    /** Set of the ids the user has read. */
    public String notificationsRead(String userId) {
        return notifications(userId) + ":read";
    }

    /** Set of the user ids watching an item of the board. */
    public String watchers(String boardId, String itemId) {
        return board(boardId, "watch:" + itemId);
    }

    /** Attachments of the board: hash id → JSON. */
    public String attachments(String boardId) {
        return board(boardId, "attachments");
    }

    /** Bytes the board's attachments use (removed ones included). */
    public String attachmentBytes(String boardId) {
        return board(boardId, "attachments:bytes");
    }

    /** Attachments whose item was removed: zset {@code board\nid} by removal time. */
    public String removedAttachments() {
        return directory("attachments:removed");
    }

    /** Once-only claims (reminders, digests): hash key → epoch ms. */
    public String claims() {
        return directory("claims");
    }

    /** Users' settings: hash user id → JSON. */
    public String userSettings() {
        return directory("user-settings");
    }

    /** The pub/sub channel between the nodes that share this prefix. */
    public String clusterChannel() {
        return prefix + ":cluster";
    }
}
