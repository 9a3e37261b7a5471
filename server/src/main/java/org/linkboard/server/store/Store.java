package org.linkboard.server.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Everything Linkboard keeps: the op log of every board with its snapshots, boards, units, users,
 * module settings, and small server metadata. The embedded implementation is SQLite in
 * {@code --data-dir}; the cluster implementation is Redis.
 *
 * <p>Threading: every method may be called from any Vert.x context and never blocks it; the
 * returned future completes on the caller's context. A future that fails because the backing
 * store cannot take the request fails with {@code LinkboardException(UNAVAILABLE)}; nothing was
 * applied then.
 *
 * <p>Durability: a completed {@link #append} means the ops survive {@code kill -9} of the process.
 * Appends of many callers that arrive while a commit runs are grouped into the next transaction
 * (group commit), so many ops share one fsync.
 */
public interface Store {

    /** Opens (and creates or migrates) the store. Called once before anything else. */
    Future<Void> open();

    /** Flushes every pending append, then closes. Later calls fail. */
    Future<Void> close();

    /** Completes when the store answers a trivial query; fails with UNAVAILABLE otherwise. */
    Future<Void> ping();

    // ---- op log -----------------------------------------------------------------------------

    /**
     * Appends ops, which must carry the consecutive seqs following the board's current version,
     * and advances the board's {@code version}. Completes once durable. A seq that is not the next
     * one fails with {@code LinkboardException(CONFLICT)} and nothing of the batch is written.
     * A shared (cluster) store also names the version it holds ({@code details.version}), and may
     * refuse an op whose {@code (by, cid)} the board already holds: CONFLICT with
     * {@code details.reason = "duplicate-cid"}, {@code details.seq} (the original) and
     * {@code details.index} (the op's position in the batch); nothing is written then either.
     */
    Future<Void> append(String boardId, List<LoggedOp> ops);

    /** Ops with {@code seq > since}, in seq order, at most {@code limit} of them. */
    Future<List<LoggedOp>> readOps(String boardId, long since, int limit);

    /**
     * The last {@code max} ops of a board (fewer when the log is shorter), in seq order. The board
     * actor warms its cid-dedup window from it on load: the contract requires remembering at least
     * the last 10 000 cids per board across restarts.
     */
    Future<List<LoggedOp>> readRecentOps(String boardId, int max);

    /**
     * The op a user appended to a board with that {@code cid}, or null when there is none (the
     * oldest such op should the client have reused a cid). In cluster mode a board actor asks
     * before it rejects an op, so that a re-sent cid appended through another node is answered
     * with the original seq. The Redis store answers from a bounded window of recent cids; the
     * embedded store, which only tests ask, scans the board's log.
     */
    Future<LoggedOp> findByCid(String boardId, String userId, String cid);

    /** The newest snapshot of a board, or null when none was saved. */
    Future<Snapshot> latestSnapshot(String boardId);

    /** Saves a snapshot (items as JSON text at {@code version}); older ones may be pruned. */
    Future<Void> saveSnapshot(String boardId, Snapshot snapshot);

    // ---- boards -----------------------------------------------------------------------------

    /** Creates a board; fails with CONFLICT when the id exists. */
    Future<BoardRecord> createBoard(BoardRecord board);

    /** The board, archived or not, or null. */
    Future<BoardRecord> getBoard(String boardId);

    /** Every board, archived ones included only when asked. */
    Future<List<BoardRecord>> listBoards(boolean includeArchived);

    /** Marks the board archived: hidden from lists, data kept. */
    Future<Void> archiveBoard(String boardId);

    // ---- units and users --------------------------------------------------------------------

    /** Creates a unit; fails with CONFLICT when the id exists. */
    Future<UnitRecord> createUnit(UnitRecord unit);

    Future<List<UnitRecord>> listUnits();

    /** Creates a user; fails with CONFLICT when the id or the username exists. */
    Future<UserRecord> createUser(UserRecord user);

    /** The user, or null. */
    Future<UserRecord> getUser(String userId);

    /** The user with that username, or null. */
    Future<UserRecord> findUserByUsername(String username);

    Future<List<UserRecord>> listUsers();

    /** Deletes the user; completes with false when there was none. */
    Future<Boolean> deleteUser(String userId);

    // ---- modules ----------------------------------------------------------------------------

    /** Every unit's explicit module settings: unit id → (module id → enabled). */
    Future<Map<String, Map<String, Boolean>>> moduleEnablement();

    /** Sets a unit's explicit setting for a module; {@code enabled == null} removes it (inherit). */
    Future<Void> setModuleEnabled(String unitId, String moduleId, Boolean enabled);

    /** A module's settings for a unit as JSON text, or null. */
    Future<String> moduleSettings(String unitId, String moduleId);

    Future<Void> saveModuleSettings(String unitId, String moduleId, String json);

    // ---- metadata ---------------------------------------------------------------------------

    /** A small server value (e.g. the generated JWT secret), or null. */
    Future<String> getMeta(String key);

    /** Stores the value only if the key is absent; completes with the value now stored. */
    Future<String> putMetaIfAbsent(String key, String value);

    // ---- collaboration (docs/collaboration.md) ------------------------------------------------
    // Defaults fail with UNAVAILABLE, so a store without these features still compiles and serves
    // boards; the embedded store implements them all.

    /** Stores notifications (ids are unique). */
    default Future<Void> addNotifications(List<NotificationRecord> notifications) {
        return unsupported("collaboration");
    }

    /** A user's notifications with {@code at >= since}, newest first, at most {@code limit}; only unread ones when asked. */
    default Future<List<NotificationRecord>> listNotifications(String userId, boolean unreadOnly, long since, int limit) {
        return unsupported("collaboration");
    }

    /** Marks one notification of the user read; false when the user has none with that id. */
    default Future<Boolean> markNotificationRead(String userId, String notificationId) {
        return unsupported("collaboration");
    }

    /** Marks every notification of the user read; completes with how many changed. */
    default Future<Integer> markAllNotificationsRead(String userId) {
        return unsupported("collaboration");
    }

    /** Adds ({@code watching}) or removes a user from the watchers of an item. */
    default Future<Void> setWatch(String boardId, String itemId, String userId, boolean watching) {
        return unsupported("collaboration");
    }

    /**
     * Adds a watcher that an op implies (the creator of a card, a commenter), where the write may
     * ride along with a later one for a moment (the embedded store waits up to 50 ms for another
     * write to share the commit with) instead of paying a commit of its own. Completes once written.
     */
    default Future<Void> watchSoon(String boardId, String itemId, String userId) {
        return setWatch(boardId, itemId, userId, true);
    }

    /** The user ids watching an item. */
    default Future<List<String>> watchers(String boardId, String itemId) {
        return unsupported("collaboration");
    }

    /**
     * Claims a once-only key (a due reminder, a digest, a mention): true for exactly one caller
     * across every node sharing the store, false for every later claim of the same key. Atomic
     * (SQLite: INSERT OR IGNORE; Redis: SET NX).
     */
    default Future<Boolean> claimReminder(String key) {
        return unsupported("collaboration");
    }

    /** A user's settings as JSON text, or null. */
    default Future<String> userSettings(String userId) {
        return unsupported("collaboration");
    }

    default Future<Void> saveUserSettings(String userId, String json) {
        return unsupported("collaboration");
    }

    /**
     * Records an attachment if the board's attachments (removed ones included, they still use
     * disk) plus this one stay within {@code boardLimitBytes}; false, and nothing stored, otherwise.
     */
    default Future<Boolean> addAttachment(AttachmentRecord attachment, long boardLimitBytes) {
        return unsupported("collaboration");
    }

    /** The attachments of an item, oldest first (callers check that the item exists). */
    default Future<List<AttachmentRecord>> listAttachments(String boardId, String itemId) {
        return unsupported("collaboration");
    }

    /** An attachment of a board, or null. */
    default Future<AttachmentRecord> getAttachment(String boardId, String attachmentId) {
        return unsupported("collaboration");
    }

    /** Forgets an attachment; false when there was none. */
    default Future<Boolean> deleteAttachment(String boardId, String attachmentId) {
        return unsupported("collaboration");
    }

    /** Sets (a time) or clears (null) the removal time of the attachments of these items. */
    default Future<Void> markAttachmentsRemoved(String boardId, List<String> itemIds, Long removedAt) {
        return unsupported("collaboration");
    }

    /** Attachments whose item was removed before {@code before} (epoch ms), at most {@code limit}. */
    default Future<List<AttachmentRecord>> attachmentsRemovedBefore(long before, int limit) {
        return unsupported("collaboration");
    }


    // ---- operations: audit, webhooks, named versions, older snapshots ---------------------------
    // Defaults fail with UNAVAILABLE so a store that does not have them yet still compiles; the
    // embedded store implements all of them (the cluster store should too: docs/operations.md).

    /** Appends one audit record (its {@code id} is assigned by the store). */
    default Future<Void> appendAudit(AuditRecord record) {
        return unsupported("audit");
    }

    /** Audit records matching the query, newest first, at most {@code limit}. */
    default Future<List<AuditRecord>> queryAudit(AuditQuery query) {
        return unsupported("audit");
    }

    /** Creates or replaces a webhook subscription. */
    default Future<Void> saveWebhook(WebhookRecord hook) {
        return unsupported("webhooks");
    }

    default Future<List<WebhookRecord>> listWebhooks() {
        return unsupported("webhooks");
    }

    /** Deletes a webhook; completes with false when there was none. */
    default Future<Boolean> deleteWebhook(String id) {
        return unsupported("webhooks");
    }

    /** Records the seq up to which a webhook delivered (it resumes after it on restart). */
    default Future<Void> setWebhookCursor(String id, long seq) {
        return unsupported("webhooks");
    }

    /** Saves a named version of a board (a name may be given to several versions). */
    default Future<Void> saveNamedVersion(NamedVersion version) {
        return unsupported("named versions");
    }

    /** A board's named versions, oldest first. */
    default Future<List<NamedVersion>> namedVersions(String boardId) {
        return unsupported("named versions");
    }

    /**
     * The newest stored snapshot at or before {@code version}, or null (then readers replay the
     * log from 0). Stores may prune old snapshots, so null is a normal answer.
     */
    default Future<Snapshot> snapshotAtOrBefore(String boardId, long version) {
        return Future.succeededFuture(null);
    }

    private static <T> Future<T> unsupported(String what) {
        return Future.failedFuture(new org.linkboard.api.LinkboardException(org.linkboard.api.ErrorCode.UNAVAILABLE,
                what + " is not supported by this store"));
    }
}
