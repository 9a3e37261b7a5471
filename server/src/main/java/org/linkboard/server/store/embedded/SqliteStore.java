package org.linkboard.server.store.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.EventExecutor;
import io.vertx.core.json.JsonArray;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.store.AuditQuery;
import org.linkboard.server.store.AuditRecord;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Durability;
import org.linkboard.server.store.NamedVersion;
import org.linkboard.server.store.WebhookRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default {@link Store}: one SQLite database, {@code <dataDir>/linkboard.db}.
 *
 * <p><b>Threading.</b> No JDBC call ever runs on a Vert.x thread. All writes go through one
 * connection owned by one dedicated writer thread ({@code linkboard-sqlite-writer}); reads use a
 * small pool of read-only connections on their own threads ({@code linkboard-sqlite-reader-N}),
 * which WAL mode lets run concurrently with the writer. Every method may be called from any
 * thread; it captures the caller's Vert.x context ({@link Vertx#getOrCreateContext()}) and
 * completes the returned future there, so a board actor on an event loop keeps its threading
 * model.
 *
 * <p><b>Group commit.</b> The writer takes every write that is queued when it becomes free (up to
 * {@link #MAX_GROUP_TASKS}) and runs them in one transaction: one commit, one fsync of the WAL for
 * all of them. While that commit runs, new writes queue up and go together into the next one.
 * A caller's future completes only after the transaction holding its write committed, which is
 * what makes "ack means durable" hold. Appends are validated per batch in memory before anything
 * is written (the writer is the only one that changes a board's version, so it can keep the
 * versions); other writes run inside a savepoint each. One caller's failure therefore never harms
 * the other batches in the same transaction.
 *
 * <p><b>Failures.</b> Every future fails with a {@link LinkboardException} only: constraint
 * violations are {@code CONFLICT}; a closed, busy, full or broken database is {@code UNAVAILABLE}
 * and then nothing of that write was applied; anything else is an {@code INTERNAL} bug, logged with
 * the id its message carries. After {@link #close()} every call fails with {@code UNAVAILABLE}.
 *
 * <p><b>Lifecycle.</b> Created by the server at start-up, {@link #open()} once, {@link #close()}
 * once on shutdown (it flushes every append queued before it). Calls before {@code open()}
 * completed fail with {@code UNAVAILABLE}.
 */
public final class SqliteStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    /** The database file name inside the data dir. */
    public static final String DB_FILE = "linkboard.db";
    /** Snapshots longer than this (in chars) are written in parts of this size ({@link #saveSnapshot}). */
    static final int SNAPSHOT_PART_CHARS = 4 * 1024 * 1024;

    /**
     * Most writes in one transaction. Bounds the latency one commit adds to the writes queued
     * behind it, and the memory of one batch; large enough that a burst shares a handful of fsyncs.
     */
    static final int MAX_GROUP_TASKS = 8192;

    private static final int READER_THREADS = 2;

    /**
     * How long a connection waits for a lock before SQLITE_BUSY. Only the backup connection and
     * checkpoints compete with the single writer, so a wait this long means something is wrong.
     */
    private static final int BUSY_TIMEOUT_MS = 5_000;

    private static final int SQLITE_CONSTRAINT = 19;

    private enum State { NEW, OPENING, OPEN, CLOSED }

    private final Vertx vertx;
    private final Path dataDir;
    private final Path dbFile;

    /** Guards {@link #state} transitions and enqueueing, so nothing is queued after the close task. */
    private final Object lock = new Object();
    private volatile State state = State.NEW;

    private final LinkedBlockingQueue<WriteTask<?>> writeQueue = new LinkedBlockingQueue<>();
    private volatile ExecutorService readers;
    private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
    private final Set<Connection> readerConnections = ConcurrentHashMap.newKeySet();

    // ---- owned by the writer thread ---------------------------------------------------------
    private Connection writer;
    private Statement writerControl;
    private PreparedStatement insertOp;
    private PreparedStatement selectVersion;
    private PreparedStatement updateVersion;
    private PreparedStatement insertWatch;
    /** Committed version of every board the writer has seen; only the writer changes versions. */
    private final Map<String, Long> committedVersions = new HashMap<>();

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private final AtomicLong walSyncs = new AtomicLong();
    private final AtomicLong walRewinds = new AtomicLong();
    /** Frames in the WAL when the background checkpointer last looked (0 after the writer's own). */
    private volatile long walFramesSeen;
    /** A WAL this long (4 KiB pages) is rewound by the writer; 4096 frames = 16 MiB. */
    private volatile long walRestartFrames = 4096;
    private volatile java.util.function.LongConsumer commitObserver = nanos -> { };
    private final Durability durability;
    static final long CHECKPOINT_INTERVAL_MS = Durability.PROCESS_SYNC_INTERVAL_MS;
    private volatile ScheduledExecutorService checkpointer;
    private volatile Runnable checkpointerConnection = () -> { };
    /** How long a ride-along write ({@link #watchSoon}) may wait for a write to share a commit with. */
    static final long RIDE_ALONG_NANOS = 50_000_000L;
    private final AtomicLong committedAppends = new AtomicLong();
    /** Per board, the snapshot save that the next one waits for ({@link #saveSnapshot}). */
    private final Map<String, Future<Void>> snapshotSaves = new ConcurrentHashMap<>();

    public SqliteStore(Vertx vertx, Path dataDir) {
        this(vertx, dataDir, Durability.POWER);
    }

    public SqliteStore(Vertx vertx, Path dataDir, Durability durability) {
        this.vertx = vertx;
        this.dataDir = dataDir;
        this.dbFile = dataDir.resolve(DB_FILE);
        this.durability = durability;
    }

    /** What an ack from this store survives. */
    public Durability durability() {
        return durability;
    }

    /** Told the duration of every committed group transaction, on the writer thread; must not block. */
    public void observeCommits(java.util.function.LongConsumer observer) {
        this.commitObserver = observer;
    }

    /** For tests: times the writer copied the WAL's last frames so the next commit rewinds it. */
    long walRewindCount() {
        return walRewinds.get();
    }

    /** For tests: the WAL length, in frames, past which the writer rewinds it. */
    void walRestartFrames(long frames) {
        this.walRestartFrames = frames;
    }

    /** For tests: background fsyncs of the WAL so far ({@link Durability#PROCESS} only). */
    long walSyncCount() {
        return walSyncs.get();
    }

    /** The database file. */
    public Path databaseFile() {
        return dbFile;
    }

    /** Background checkpoints run so far (for tests and metrics). */
    public long checkpointCount() {
        return checkpoints.get();
    }

    /** Transactions committed by the writer so far (for tests and metrics). */
    public long commitCount() {
        return commits.get();
    }

    /** Append batches committed so far (for tests and metrics); compare with {@link #commitCount()}. */
    public long appendCount() {
        return committedAppends.get();
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Override
    public Future<Void> open() {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        synchronized (lock) {
            if (state != State.NEW) {
                complete(context, promise, null, unavailable("the store was already opened"));
                return promise.future();
            }
            state = State.OPENING;
        }
        AtomicInteger readerIds = new AtomicInteger();
        readers = Executors.newFixedThreadPool(READER_THREADS, r -> {
            Thread t = new Thread(r, "linkboard-sqlite-reader-" + readerIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread writerThread = new Thread(() -> runWriter(context, promise), "linkboard-sqlite-writer");
        // Daemon: an un-closed store must not keep the JVM alive; acked writes are durable anyway.
        writerThread.setDaemon(true);
        writerThread.start();
        return promise.future();
    }

    @Override
    public Future<Void> close() {
        Context context = vertx.getOrCreateContext();
        CloseTask task = new CloseTask(context);
        synchronized (lock) {
            State was = state;
            state = State.CLOSED;
            if (was == State.OPEN) {
                // Last item ever queued: the writer commits everything before it, then shuts down.
                writeQueue.add(task);
                return task.promise.future();
            }
            if (was == State.NEW) {
                task.completeOnCallerContext();
                return task.promise.future();
            }
        }
        // CLOSED already, or OPENING (a failing or racing open cleans up by itself).
        task.completeOnCallerContext();
        return task.promise.future();
    }

    @Override
    public Future<Void> ping() {
        return read(conn -> {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                rs.next();
                return null;
            }
        });
    }

    /**
     * Writes a consistent copy of the whole database to {@code file} while the store keeps taking
     * writes (SQLite {@code VACUUM INTO} on its own connection: a WAL read transaction, which
     * never blocks the writer). The copy holds every write committed before the backup started.
     * {@code file} must not exist yet; missing parent directories are created. Runs on its own
     * thread; completes on the caller's context; fails with UNAVAILABLE when the store is not open
     * or the copy cannot be written.
     */
    public Future<Void> backupTo(Path file) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        if (state != State.OPEN) {
            complete(context, promise, null, unavailable("the store is not open"));
            return promise.future();
        }
        Thread backup = new Thread(() -> {
            Throwable failure = null;
            try {
                Path target = file.toAbsolutePath();
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                if (Files.exists(target)) {
                    throw new LinkboardException(ErrorCode.CONFLICT, "backup file exists: " + target);
                }
                try (Connection conn = connect(false);
                     PreparedStatement ps = conn.prepareStatement("vacuum into ?")) {
                    ps.setString(1, target.toString());
                    ps.execute();
                }
            } catch (java.io.IOException e) {
                failure = unavailable("cannot write the backup: " + e.getMessage());
            } catch (Throwable t) {
                failure = failureOf(t);
            }
            complete(context, promise, null, failure);
        }, "linkboard-sqlite-backup");
        backup.setDaemon(true);
        backup.start();
        return promise.future();
    }

    // ---- op log -----------------------------------------------------------------------------

    @Override
    public Future<Void> append(String boardId, List<LoggedOp> ops) {
        Context context = vertx.getOrCreateContext();
        if (boardId == null || ops == null || ops.stream().anyMatch(op -> op == null
                || op.opJson() == null || op.by() == null)) {
            AppendTask task = new AppendTask(context, boardId, List.of());
            // A caller bug, not a store condition: say so rather than a constraint CONFLICT.
            task.fail(internal("append needs a board and ops with json and author",
                    new IllegalArgumentException("board=" + boardId + " ops=" + ops)));
            task.completeOnCallerContext();
            return task.promise.future();
        }
        // A copy: the caller may reuse its list while the append waits for the writer.
        AppendTask task = new AppendTask(context, boardId, List.copyOf(ops));
        if (ops.isEmpty()) {
            task.completeOnCallerContext();
            return task.promise.future();
        }
        return submit(task);
    }

    @Override
    public Future<List<LoggedOp>> readOps(String boardId, long since, int limit) {
        return read(conn -> queryOps(conn,
                "select seq, op_json, by_user, cid, at from ops where board = ? and seq > ? "
                        + "order by seq limit ?", boardId, since, Math.max(0, limit)));
    }

    @Override
    public Future<List<LoggedOp>> readRecentOps(String boardId, int max) {
        return read(conn -> {
            List<LoggedOp> newestFirst = queryOps(conn,
                    "select seq, op_json, by_user, cid, at from ops where board = ? "
                            + "order by seq desc limit ?", boardId, Math.max(0, max));
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }

    /**
     * Scans the board's log: there is no cid index to keep up on every insert, because only
     * cluster mode's board actors ask (through the Redis store); embedded ones dedup from memory.
     */
    @Override
    public Future<LoggedOp> findByCid(String boardId, String userId, String cid) {
        return read(conn -> {
            List<LoggedOp> found = queryOps(conn,
                    "select seq, op_json, by_user, cid, at from ops "
                            + "where board = ? and by_user = ? and cid = ? order by seq limit 1",
                    boardId, userId, cid);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Future<Snapshot> latestSnapshot(String boardId) {
        return read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select version, items_json from snapshots where board = ? "
                            + "order by version desc limit 1")) {
                ps.setString(1, boardId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? snapshot(conn, boardId, rs.getLong(1), rs.getString(2)) : null;
                }
            }
        });
    }

    /** The snapshot of a {@code snapshots} row: its items JSON, or its parts put together when it has ''. */
    private static Snapshot snapshot(Connection conn, String boardId, long version, String itemsJson) throws SQLException {
        if (!itemsJson.isEmpty()) return new Snapshot(version, itemsJson);
        StringBuilder whole = new StringBuilder();
        try (PreparedStatement ps = conn.prepareStatement(
                "select part from snapshot_parts where board = ? and version = ? order by idx")) {
            ps.setString(1, boardId);
            ps.setLong(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) whole.append(rs.getString(1));
            }
        }
        return new Snapshot(version, whole.toString());
    }

    /**
     * Saves the snapshot and keeps only the newest two of the board (one spare if one is bad).
     * One longer than {@link #SNAPSHOT_PART_CHARS} goes in parts, each its own write, the next
     * queued only when the last is done: a million-card board's snapshot is over 100 MB, and as
     * one insert it held every commit on the server back for seconds. Its row comes last, so a
     * crash mid-way leaves the previous snapshot the newest (and parts that a later save prunes).
     * Saves of one board run one after the other: a newer save finishing first would prune the
     * parts an older one had written so far, and leave the older (the spare) with holes.
     */
    @Override
    public Future<Void> saveSnapshot(String boardId, Snapshot snapshot) {
        Promise<Void> saved = Promise.promise();
        Future<Void> previous = snapshotSaves.put(boardId, saved.future());
        Future<Void> turn = previous == null ? Future.succeededFuture() : previous.transform(ar -> Future.succeededFuture());
        turn.compose(v -> writeSnapshot(boardId, snapshot)).onComplete(ar -> {
            snapshotSaves.remove(boardId, saved.future());
            saved.handle(ar);
        });
        return saved.future();
    }

    private Future<Void> writeSnapshot(String boardId, Snapshot snapshot) {
        String json = snapshot.itemsJson();
        long version = snapshot.version();
        if (json.length() <= SNAPSHOT_PART_CHARS) {
            return write(conn -> saveSnapshotRow(conn, boardId, version, json, 0));
        }
        Future<Void> parts = Future.succeededFuture();
        int count = 0;
        for (int start = 0; start < json.length(); start += SNAPSHOT_PART_CHARS, count++) {
            int from = start, index = count;
            parts = parts.compose(v -> write(conn -> {
                try (PreparedStatement ins = conn.prepareStatement(
                        "insert or replace into snapshot_parts(board, version, idx, part) values (?, ?, ?, ?)")) {
                    ins.setString(1, boardId);
                    ins.setLong(2, version);
                    ins.setInt(3, index);
                    ins.setString(4, json.substring(from, Math.min(json.length(), from + SNAPSHOT_PART_CHARS)));
                    ins.executeUpdate();
                    return null;
                }
            }));
        }
        int partCount = count;
        return parts.compose(v -> write(conn -> saveSnapshotRow(conn, boardId, version, "", partCount)));
    }

    /**
     * Writes the row of a snapshot ({@code itemsJson} '' for one in {@code partCount} parts) and
     * prunes: older snapshots past the newest two, parts no row refers to, and parts of this
     * version beyond its own (left by an earlier save of the same version in more parts, or in
     * parts where this one is whole).
     */
    private static Void saveSnapshotRow(Connection conn, String boardId, long version, String itemsJson, int partCount)
            throws SQLException {
        update(conn, "insert into snapshots(board, version, items_json) values (?, ?, ?) "
                + "on conflict(board, version) do update set items_json = excluded.items_json", boardId, version, itemsJson);
        update(conn, "delete from snapshots where board = ? and version not in "
                + "(select version from snapshots where board = ? order by version desc limit 2)", boardId, boardId);
        // Parts of snapshots pruned or never finished; not those of a newer one being written.
        update(conn, "delete from snapshot_parts where board = ? and version < ? and version not in "
                + "(select version from snapshots where board = ?)", boardId, version, boardId);
        update(conn, "delete from snapshot_parts where board = ? and version = ? and idx >= ?", boardId, version, partCount);
        return null;
    }

    // ---- boards -----------------------------------------------------------------------------

    @Override
    public Future<BoardRecord> createBoard(BoardRecord board) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into boards(id, title, unit, created_at, version, archived) "
                            + "values (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, board.id());
                ps.setString(2, board.title());
                ps.setString(3, board.unit());
                ps.setLong(4, board.createdAt());
                ps.setLong(5, board.version());
                ps.setInt(6, board.archived() ? 1 : 0);
                ps.executeUpdate();
                return board;
            } catch (SQLException e) {
                if (isConstraint(e)) {
                    throw new LinkboardException(ErrorCode.CONFLICT, "board exists: " + board.id(),
                            Map.of("field", "id"));
                }
                throw e;
            }
        });
    }

    @Override
    public Future<BoardRecord> getBoard(String boardId) {
        return read(conn -> {
            List<BoardRecord> found = queryBoards(conn,
                    "select id, title, unit, created_at, version, archived from boards where id = ?",
                    boardId);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Future<List<BoardRecord>> listBoards(boolean includeArchived) {
        return read(conn -> queryBoards(conn,
                "select id, title, unit, created_at, version, archived from boards "
                        + (includeArchived ? "" : "where archived = 0 ")
                        + "order by created_at, id"));
    }

    /** Marks the board archived; fails with NOT_FOUND when there is no such board. */
    @Override
    public Future<Void> archiveBoard(String boardId) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "update boards set archived = 1 where id = ?")) {
                ps.setString(1, boardId);
                if (ps.executeUpdate() == 0) {
                    throw new LinkboardException(ErrorCode.NOT_FOUND, "no board " + boardId);
                }
                return null;
            }
        });
    }

    // ---- units and users --------------------------------------------------------------------

    @Override
    public Future<UnitRecord> createUnit(UnitRecord unit) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into units(id, name, kind, parent) values (?, ?, ?, ?)")) {
                ps.setString(1, unit.id());
                ps.setString(2, unit.name());
                ps.setString(3, unit.kind());
                ps.setString(4, unit.parent());
                ps.executeUpdate();
                return unit;
            } catch (SQLException e) {
                if (isConstraint(e)) {
                    throw new LinkboardException(ErrorCode.CONFLICT, "unit exists: " + unit.id(),
                            Map.of("field", "id"));
                }
                throw e;
            }
        });
    }

    @Override
    public Future<List<UnitRecord>> listUnits() {
        return read(conn -> {
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("select id, name, kind, parent from units order by rowid")) {
                List<UnitRecord> units = new ArrayList<>();
                while (rs.next()) {
                    units.add(new UnitRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4)));
                }
                return units;
            }
        });
    }

    @Override
    public Future<UserRecord> createUser(UserRecord user) {
        return write(conn -> {
            // Checked before the insert so the CONFLICT names the field that clashes.
            try (PreparedStatement check = conn.prepareStatement(
                    "select id = ?, username = ? from users where id = ? or username = ?")) {
                check.setString(1, user.id());
                check.setString(2, user.username());
                check.setString(3, user.id());
                check.setString(4, user.username());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        boolean sameId = rs.getBoolean(1);
                        throw new LinkboardException(ErrorCode.CONFLICT,
                                sameId ? "user id exists: " + user.id()
                                        : "username taken: " + user.username(),
                                Map.of("field", sameId ? "id" : "username"));
                    }
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into users(id, username, name, unit, roles, password_hash, created_at) "
                            + "values (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, user.id());
                ps.setString(2, user.username());
                ps.setString(3, user.name());
                ps.setString(4, user.unit());
                ps.setString(5, new JsonArray(new ArrayList<>(user.roles())).encode());
                ps.setString(6, user.passwordHash());
                ps.setLong(7, user.createdAt());
                ps.executeUpdate();
                return user;
            }
        });
    }

    @Override
    public Future<UserRecord> getUser(String userId) {
        return read(conn -> {
            List<UserRecord> found = queryUsers(conn, "where id = ?", userId);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Future<UserRecord> findUserByUsername(String username) {
        return read(conn -> {
            List<UserRecord> found = queryUsers(conn, "where username = ?", username);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Future<List<UserRecord>> listUsers() {
        return read(conn -> queryUsers(conn, "order by created_at, id"));
    }

    @Override
    public Future<Boolean> deleteUser(String userId) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("delete from users where id = ?")) {
                ps.setString(1, userId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    // ---- modules ----------------------------------------------------------------------------

    @Override
    public Future<Map<String, Map<String, Boolean>>> moduleEnablement() {
        return read(conn -> {
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(
                         "select unit, module, enabled from module_enablement order by unit, module")) {
                Map<String, Map<String, Boolean>> byUnit = new LinkedHashMap<>();
                while (rs.next()) {
                    byUnit.computeIfAbsent(rs.getString(1), u -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getInt(3) != 0);
                }
                return byUnit;
            }
        });
    }

    @Override
    public Future<Void> setModuleEnabled(String unitId, String moduleId, Boolean enabled) {
        return write(conn -> {
            if (enabled == null) {
                try (PreparedStatement ps = conn.prepareStatement(
                        "delete from module_enablement where unit = ? and module = ?")) {
                    ps.setString(1, unitId);
                    ps.setString(2, moduleId);
                    ps.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into module_enablement(unit, module, enabled) values (?, ?, ?) "
                            + "on conflict(unit, module) do update set enabled = excluded.enabled")) {
                ps.setString(1, unitId);
                ps.setString(2, moduleId);
                ps.setInt(3, enabled ? 1 : 0);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Future<String> moduleSettings(String unitId, String moduleId) {
        return read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select json from module_settings where unit = ? and module = ?")) {
                ps.setString(1, unitId);
                ps.setString(2, moduleId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Saves (replaces) a module's settings for a unit; {@code json == null} removes them. */
    @Override
    public Future<Void> saveModuleSettings(String unitId, String moduleId, String json) {
        return write(conn -> {
            String sql = json == null
                    ? "delete from module_settings where unit = ? and module = ?"
                    : "insert into module_settings(unit, module, json) values (?, ?, ?) "
                            + "on conflict(unit, module) do update set json = excluded.json";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setString(1, unitId);
                ps.setString(2, moduleId);
                if (json != null) {
                    ps.setString(3, json);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- metadata ---------------------------------------------------------------------------

    @Override
    public Future<String> getMeta(String key) {
        return read(conn -> selectMeta(conn, key));
    }

    @Override
    public Future<String> putMetaIfAbsent(String key, String value) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into meta(key, value) values (?, ?) on conflict(key) do nothing")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return selectMeta(conn, key);
        });
    }

    private static String selectMeta(Connection conn, String key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("select value from meta where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ---- operations: audit, webhooks, named versions, older snapshots -----------------------

    @Override
    public Future<Void> appendAudit(AuditRecord r) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into audit(at, actor, actor_name, action, target, details) values (?, ?, ?, ?, ?, ?)")) {
                bind(ps, r.at(), r.actor(), r.actorName(), r.action(), r.target(), r.detailsJson());
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public Future<List<AuditRecord>> queryAudit(AuditQuery q) {
        return read(conn -> {
            StringBuilder sql = new StringBuilder(
                    "select id, at, actor, actor_name, action, target, details from audit where 1 = 1");
            List<Object> params = new ArrayList<>();
            if (q.actor() != null) {
                sql.append(" and actor = ?");
                params.add(q.actor());
            }
            if (q.action() != null) {
                sql.append(" and action = ?");
                params.add(q.action());
            }
            if (q.since() != null) {
                sql.append(" and at >= ?");
                params.add(q.since());
            }
            if (q.until() != null) {
                sql.append(" and at < ?");
                params.add(q.until());
            }
            sql.append(" order by id desc limit ?");
            params.add(Math.max(0, q.limit()));
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                bind(ps, params.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    List<AuditRecord> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new AuditRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7)));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Future<Void> saveWebhook(WebhookRecord h) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert or replace into webhooks(id, url, secret, board, events, created_by, created_at, cursor) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, h.id(), h.url(), h.secret(), h.board(), new JsonArray(h.events()).encode(), h.createdBy(),
                        h.createdAt(), h.cursor());
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public Future<List<WebhookRecord>> listWebhooks() {
        return read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select id, url, secret, board, events, created_by, created_at, cursor from webhooks order by created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                List<WebhookRecord> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> events = new ArrayList<>();
                    for (Object e : new JsonArray(rs.getString(5))) events.add(String.valueOf(e));
                    out.add(new WebhookRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), events,
                            rs.getString(6), rs.getLong(7), rs.getLong(8)));
                }
                return out;
            }
        });
    }

    @Override
    public Future<Boolean> deleteWebhook(String id) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("delete from webhooks where id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Future<Void> setWebhookCursor(String id, long seq) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("update webhooks set cursor = ? where id = ?")) {
                bind(ps, seq, id);
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public Future<Void> saveNamedVersion(NamedVersion v) {
        return write(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into board_versions(board, name, version, by_user, at) values (?, ?, ?, ?, ?)")) {
                bind(ps, v.board(), v.name(), v.version(), v.by(), v.at());
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public Future<List<NamedVersion>> namedVersions(String boardId) {
        return read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select board, name, version, by_user, at from board_versions where board = ? order by version, at")) {
                ps.setString(1, boardId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<NamedVersion> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new NamedVersion(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public Future<Snapshot> snapshotAtOrBefore(String boardId, long version) {
        return read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "select version, items_json from snapshots where board = ? and version <= ? "
                            + "order by version desc limit 1")) {
                bind(ps, boardId, version);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? snapshot(conn, boardId, rs.getLong(1), rs.getString(2)) : null;
                }
            }
        });
    }

    // ---- offline tools (the CLI's backup and restore; no store instance, no server) -----------

    /**
     * Copies the database of {@code dataDir} to {@code target} with {@code VACUUM INTO}: a
     * consistent copy even while a server writes to it (a WAL read transaction). Blocking; for the
     * command line. {@code target} must not exist.
     */
    public static void backupOffline(Path dataDir, Path target) throws SQLException, java.io.IOException {
        Path db = dataDir.resolve(DB_FILE);
        if (!Files.isRegularFile(db)) throw new java.io.IOException("no Linkboard database at " + db);
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs)) throw new java.io.IOException("the target exists: " + abs);
        if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        try (Connection conn = config.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
             PreparedStatement ps = conn.prepareStatement("vacuum into ?")) {
            ps.setString(1, abs.toString());
            ps.execute();
        }
    }

    /**
     * Checks that {@code file} is a Linkboard database (SQLite, passes a quick integrity check,
     * has a schema version this code can read); throws with a one-line reason otherwise.
     */
    public static void verifyDatabaseFile(Path file) throws SQLException, java.io.IOException {
        if (!Files.isRegularFile(file)) throw new java.io.IOException("no such file: " + file);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection conn = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("pragma quick_check")) {
                if (!rs.next() || !"ok".equalsIgnoreCase(rs.getString(1))) {
                    throw new SQLException(file + " fails SQLite's integrity check");
                }
            }
            try (ResultSet rs = st.executeQuery("select version from schema_version")) {
                if (!rs.next()) throw new SQLException(file + " has no schema version");
                if (rs.getInt(1) > SqliteSchema.latestVersion()) {
                    throw new SQLException(file + " is from a newer Linkboard (schema " + rs.getInt(1) + ")");
                }
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                throw new SQLException(file + " is not a Linkboard database");
            }
            throw e;
        }
    }

    /** Brings a database file to the current schema and appends an audit record (CLI restore). */
    public static void appendAuditOffline(Path dataDir, AuditRecord r) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        try (Connection conn = config.createConnection("jdbc:sqlite:" + dataDir.resolve(DB_FILE).toAbsolutePath())) {
            SqliteSchema.migrate(conn);
            try (PreparedStatement ps = conn.prepareStatement(
                    "insert into audit(at, actor, actor_name, action, target, details) values (?, ?, ?, ?, ?, ?)")) {
                bind(ps, r.at(), r.actor(), r.actorName(), r.action(), r.target(), r.detailsJson());
                ps.executeUpdate();
            }
        }
    }

    // ---- collaboration (SQL in SqliteCollab) ---------------------------------------------------

    @Override
    public Future<Void> addNotifications(List<org.linkboard.server.store.NotificationRecord> notifications) {
        return write(conn -> SqliteCollab.addNotifications(conn, notifications));
    }

    @Override
    public Future<List<org.linkboard.server.store.NotificationRecord>> listNotifications(String userId, boolean unreadOnly, long since, int limit) {
        return read(conn -> SqliteCollab.listNotifications(conn, userId, unreadOnly, since, limit));
    }

    @Override
    public Future<Boolean> markNotificationRead(String userId, String notificationId) {
        return write(conn -> SqliteCollab.markRead(conn, userId, notificationId));
    }

    @Override
    public Future<Integer> markAllNotificationsRead(String userId) {
        return write(conn -> SqliteCollab.markAllRead(conn, userId));
    }

    @Override
    public Future<Void> setWatch(String boardId, String itemId, String userId, boolean watching) {
        return write(conn -> SqliteCollab.setWatch(conn, boardId, itemId, userId, watching));
    }

    @Override
    public Future<Void> watchSoon(String boardId, String itemId, String userId) {
        WatchTask task = new WatchTask(vertx.getOrCreateContext(), boardId, itemId, userId);
        if (boardId == null || itemId == null || userId == null) {
            task.fail(internal("a watch needs a board, an item and a user", new IllegalArgumentException()));
            task.completeOnCallerContext();
            return task.promise.future();
        }
        return submit(task);
    }

    @Override
    public Future<List<String>> watchers(String boardId, String itemId) {
        return read(conn -> SqliteCollab.watchers(conn, boardId, itemId));
    }

    @Override
    public Future<Boolean> claimReminder(String key) {
        return write(conn -> SqliteCollab.claim(conn, key, System.currentTimeMillis()));
    }

    @Override
    public Future<String> userSettings(String userId) {
        return read(conn -> SqliteCollab.userSettings(conn, userId));
    }

    @Override
    public Future<Void> saveUserSettings(String userId, String json) {
        return write(conn -> SqliteCollab.saveUserSettings(conn, userId, json));
    }

    @Override
    public Future<Boolean> addAttachment(org.linkboard.server.store.AttachmentRecord attachment, long boardLimitBytes) {
        return write(conn -> SqliteCollab.addAttachment(conn, attachment, boardLimitBytes));
    }

    @Override
    public Future<List<org.linkboard.server.store.AttachmentRecord>> listAttachments(String boardId, String itemId) {
        return read(conn -> SqliteCollab.attachments(conn, "where board = ? and item = ? order by at, id", boardId, itemId));
    }

    @Override
    public Future<org.linkboard.server.store.AttachmentRecord> getAttachment(String boardId, String attachmentId) {
        return read(conn -> {
            List<org.linkboard.server.store.AttachmentRecord> found = SqliteCollab.attachments(conn, "where board = ? and id = ?", boardId, attachmentId);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    @Override
    public Future<Boolean> deleteAttachment(String boardId, String attachmentId) {
        return write(conn -> SqliteCollab.deleteAttachment(conn, boardId, attachmentId));
    }

    @Override
    public Future<Void> markAttachmentsRemoved(String boardId, List<String> itemIds, Long removedAt) {
        return write(conn -> SqliteCollab.markRemoved(conn, boardId, itemIds, removedAt));
    }

    @Override
    public Future<List<org.linkboard.server.store.AttachmentRecord>> attachmentsRemovedBefore(long before, int limit) {
        return read(conn -> SqliteCollab.attachments(conn, "where removed_at is not null and removed_at < ? order by removed_at limit ?", before, limit));
    }

    // ---- test hooks -------------------------------------------------------------------------

    /**
     * Queues a write that keeps the writer's transaction open until {@code release} counts down,
     * as a slow commit would. Lets a test queue writes behind a running transaction and observe
     * that they share the next commit, without depending on timing.
     */
    public Future<Void> holdWriterUntil(CountDownLatch release) {
        return write(conn -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    /**
     * Runs {@code work} on the writer connection inside the writer's transaction, as any write.
     * For tests that need to put the database in a state the API cannot (e.g. full).
     */
    <T> Future<T> onWriter(SqlWork<T> work) {
        return write(work);
    }

    // ---- queries ----------------------------------------------------------------------------

    private static List<LoggedOp> queryOps(Connection conn, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<LoggedOp> ops = new ArrayList<>();
                while (rs.next()) {
                    ops.add(new LoggedOp(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5)));
                }
                return ops;
            }
        }
    }

    private static List<BoardRecord> queryBoards(Connection conn, String sql, Object... params)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<BoardRecord> boards = new ArrayList<>();
                while (rs.next()) {
                    boards.add(new BoardRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getLong(5), rs.getInt(6) != 0));
                }
                return boards;
            }
        }
    }

    private static List<UserRecord> queryUsers(Connection conn, String clause, Object... params)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "select id, username, name, unit, roles, password_hash, created_at from users " + clause)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<UserRecord> users = new ArrayList<>();
                while (rs.next()) {
                    List<String> roles = new ArrayList<>();
                    for (Object role : new JsonArray(rs.getString(5))) {
                        roles.add(String.valueOf(role));
                    }
                    users.add(new UserRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), roles, rs.getString(6), rs.getLong(7)));
                }
                return users;
            }
        }
    }

    /** Runs one insert, update or delete with {@code params} bound in order. */
    private static void update(Connection conn, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    // ---- reads ------------------------------------------------------------------------------

    private <T> Future<T> read(SqlWork<T> work) {
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        ExecutorService pool = readers;
        if (state != State.OPEN || pool == null) {
            complete(context, promise, null, unavailable("the store is not open"));
            return promise.future();
        }
        try {
            pool.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = work.run(readerConnection());
                } catch (Throwable t) {
                    failure = failureOf(t);
                    if (t instanceof SQLException e && !isConstraint(e)) {
                        // The connection may be broken (file gone, I/O error): start afresh next time.
                        dropReaderConnection();
                    }
                }
                complete(context, promise, result, failure);
            });
        } catch (RejectedExecutionException e) {
            complete(context, promise, null, unavailable("the store is closed"));
        }
        return promise.future();
    }

    private Connection readerConnection() throws SQLException {
        Connection conn = readerConnection.get();
        if (conn == null) {
            conn = connect(false);
            try (Statement st = conn.createStatement()) {
                // Readers never write: a bug that tries fails instead of racing the writer's lock.
                st.execute("pragma query_only = true");
            }
            readerConnection.set(conn);
            readerConnections.add(conn);
        }
        return conn;
    }

    private void dropReaderConnection() {
        Connection conn = readerConnection.get();
        readerConnection.remove();
        if (conn != null) {
            readerConnections.remove(conn);
            closeQuietly(conn);
        }
    }

    // ---- writes -----------------------------------------------------------------------------

    private <T> Future<T> write(SqlWork<T> work) {
        return submit(new StatementTask<>(vertx.getOrCreateContext(), work));
    }

    private <T> Future<T> submit(WriteTask<T> task) {
        synchronized (lock) {
            if (state == State.OPEN) {
                writeQueue.add(task);
                return task.promise.future();
            }
        }
        task.fail(unavailable("the store is not open"));
        task.completeOnCallerContext();
        return task.promise.future();
    }

    private void runWriter(Context openContext, Promise<Void> opened) {
        try {
            openWriter();
        } catch (Throwable t) {
            LOG.error("cannot open the store at {}", dbFile, t);
            synchronized (lock) {
                state = State.CLOSED;
            }
            closeWriter();
            readers.shutdownNow();
            complete(openContext, opened, null, t instanceof LinkboardException ? t
                    : unavailable("cannot open " + dbFile + ": " + t.getMessage()));
            return;
        }
        synchronized (lock) {
            if (state == State.OPENING) {
                state = State.OPEN;
            }
        }
        if (state != State.OPEN) {
            // close() came while opening.
            shutdown();
            complete(openContext, opened, null, unavailable("the store was closed while opening"));
            return;
        }
        LOG.info("store open at {} (durability {})", dbFile, durability.flagValue());
        startCheckpointer();
        complete(openContext, opened, null, null);

        List<WriteTask<?>> group = new ArrayList<>();
        while (true) {
            group.clear();
            try {
                group.add(writeQueue.take());
            } catch (InterruptedException e) {
                // Nobody interrupts the writer on purpose; keep serving until the close task.
                continue;
            }
            writeQueue.drainTo(group, MAX_GROUP_TASKS - 1);
            awaitCompany(group);
            WriteTask<?> last = group.get(group.size() - 1);
            CloseTask close = last instanceof CloseTask c ? c : null;
            if (close != null) {
                // Nothing is ever queued after the close task, so it can only be last.
                group.remove(group.size() - 1);
            }
            if (!group.isEmpty()) {
                commitGroup(group);
                if (walFramesSeen >= walRestartFrames) checkpointWalTail();
            }
            if (close != null) {
                shutdown();
                close.completeOnCallerContext();
                return;
            }
        }
    }

    /**
     * A group of ride-along writes only waits, until the first one is due, for a write that is due
     * now, and then commits with it: at a steady trickle of ops (each followed by its creator's
     * watch, a write of its own) that halves the transactions, and with them the fsyncs, which are
     * most of the store's CPU per op.
     */
    private void awaitCompany(List<WriteTask<?>> group) {
        while (group.size() < MAX_GROUP_TASKS) {
            long due = Long.MAX_VALUE;
            for (WriteTask<?> t : group) {
                if (t.dueNanos == 0) return;
                due = Math.min(due, t.dueNanos);
            }
            long wait = due - System.nanoTime();
            if (wait <= 0) return;
            WriteTask<?> next;
            try {
                next = writeQueue.poll(wait, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) return;
            group.add(next);
            writeQueue.drainTo(group, MAX_GROUP_TASKS - group.size());
        }
    }

    /**
     * Moves the WAL into the database file from a thread of its own, every
     * {@link #CHECKPOINT_INTERVAL_MS} while there are new commits. SQLite would otherwise run the
     * checkpoint inside whichever commit crosses 1000 WAL pages, on the writer: a stall of several
     * milliseconds (pages copied, the database file fsynced) for every op queued behind that commit.
     * PASSIVE never blocks the writer or readers; what it cannot copy yet is copied next time.
     */
    private void startCheckpointer() {
        ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "linkboard-sqlite-checkpointer");
            t.setDaemon(true);
            return t;
        });
        checkpointer = runner;
        long[] checkpointedAt = {-1};
        Connection[] conn = {null};
        runner.scheduleWithFixedDelay(() -> {
            long now = commits.get();
            if (now == checkpointedAt[0]) return;
            try {
                if (durability == Durability.PROCESS) {
                    // Bounds what a power loss can take to one interval: the commits up to now are
                    // in the WAL, written but not yet forced to disk (synchronous=NORMAL).
                    syncWal();
                }
                if (conn[0] == null) conn[0] = connect(false);
                try (Statement st = conn[0].createStatement();
                     ResultSet rs = st.executeQuery("pragma wal_checkpoint(PASSIVE)")) {
                    if (rs.next()) walFramesSeen = rs.getLong(2);
                }
                checkpointedAt[0] = now;
                checkpoints.incrementAndGet();
            } catch (SQLException | java.io.IOException | RuntimeException e) {
                LOG.warn("background checkpoint failed; retrying", e);
            }
        }, CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        checkpointerConnection = () -> closeQuietly(conn[0]);
    }

    /**
     * Lets a busy WAL start over. SQLite rewinds the WAL only when a write begins with every frame
     * already copied into the database; under a steady stream of commits the background checkpoint
     * never gets there (frames arrive while it copies), and the WAL grew by every commit for as long
     * as the load lasted: hundreds of MB in a minute at 500 ops/s, each commit paying for new file
     * pages. Between two groups no frame can arrive, so a checkpoint here copies the few frames the
     * background one has not yet (it did the bulk) and the next commit rewinds the WAL.
     */
    private void checkpointWalTail() {
        walFramesSeen = 0;
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("pragma wal_checkpoint(PASSIVE)")) {
            if (rs.next() && rs.getInt(1) == 0 && rs.getLong(2) == rs.getLong(3)) walRewinds.incrementAndGet();
        } catch (SQLException e) {
            LOG.warn("checkpoint of the WAL's tail failed; the WAL keeps growing until the next one", e);
        }
    }

    private void syncWal() throws java.io.IOException {
        Path wal = dbFile.resolveSibling(dbFile.getFileName() + "-wal");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(wal, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        walSyncs.incrementAndGet();
    }

    private void stopCheckpointer() {
        ScheduledExecutorService runner = checkpointer;
        if (runner == null) return;
        runner.shutdown();
        try {
            if (runner.awaitTermination(10, TimeUnit.SECONDS)) {
                // Its connection is touched only by its thread, which has ended.
                checkpointerConnection.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void openWriter() throws Exception {
        Files.createDirectories(dataDir);
        writer = connect(true);
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("pragma journal_mode")) {
            if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                throw new SQLException("cannot switch " + dbFile + " to WAL mode");
            }
        }
        SqliteSchema.migrate(writer);
        try (Statement st = writer.createStatement()) {
            // Checkpoints run on their own thread (startCheckpointer), not inside a commit.
            st.execute("pragma wal_autocheckpoint = 0");
        }
        // Transactions are begun and ended by hand (see runGroupTransaction), not through JDBC's
        // autocommit=false: SQLite itself rolls a transaction back on some errors (SQLITE_FULL,
        // some I/O errors), and the driver's implicit "begin after commit/rollback" then goes out
        // of step, leaving every later commit failing with "no transaction is active".
        writer.setAutoCommit(true);
        writerControl = writer.createStatement();
        insertOp = writer.prepareStatement(
                "insert into ops(board, seq, op_json, by_user, cid, at) values (?, ?, ?, ?, ?, ?)");
        selectVersion = writer.prepareStatement("select version from boards where id = ?");
        updateVersion = writer.prepareStatement("update boards set version = ? where id = ?");
        insertWatch = writer.prepareStatement("insert or ignore into watches(board, item, user_id) values (?, ?, ?)");
    }

    /**
     * Runs a group of writes as one transaction and completes every one of them afterwards. A
     * failure of the whole transaction (I/O, full disk, busy) fails each write with UNAVAILABLE:
     * it was rolled back, nothing applied. A constraint violation that per-batch validation did
     * not foresee is isolated by running each write of the group alone.
     */
    private void commitGroup(List<WriteTask<?>> group) {
        long start = System.nanoTime();
        long took = -1;
        try {
            runGroupTransaction(group);
            took = System.nanoTime() - start;
        } catch (SQLException e) {
            rollbackQuietly();
            if (isConstraint(e)) {
                // The bookkeeping disagreed with the database: reload versions from it next time.
                committedVersions.clear();
            }
            if (group.size() > 1 && isConstraint(e)) {
                LOG.warn("a grouped write broke a constraint; retrying the {} writes one by one",
                        group.size(), e);
                for (WriteTask<?> task : group) {
                    task.reset();
                    commitGroup(List.of(task));
                }
                return;
            }
            Throwable failure = failureOf(e);
            for (WriteTask<?> task : group) {
                task.fail(failure);
            }
        } catch (Throwable t) {
            rollbackQuietly();
            Throwable failure = failureOf(t);
            for (WriteTask<?> task : group) {
                task.fail(failure);
            }
        }
        completeByCaller(group);
        if (took >= 0) commitObserver.accept(took);
    }

    /**
     * Completes a group's writes with one hand-over per caller thread, in group order within it,
     * rather than one per write: a busy board's group carries a watch for every card created, and
     * each hand-over to an event loop is a task and, when the loop sleeps, a wake-up.
     */
    private static void completeByCaller(List<WriteTask<?>> group) {
        if (group.size() == 1) {
            group.get(0).completeOnCallerContext();
            return;
        }
        Map<EventExecutor, List<WriteTask<?>>> byExecutor = new LinkedHashMap<>();
        for (WriteTask<?> task : group) {
            byExecutor.computeIfAbsent(task.context.executor(), e -> new ArrayList<>()).add(task);
        }
        byExecutor.forEach((executor, tasks) -> executor.execute(() -> {
            for (WriteTask<?> task : tasks) task.context.dispatch(v -> task.completeHere());
        }));
    }

    private void runGroupTransaction(List<WriteTask<?>> group) throws SQLException {
        // IMMEDIATE: take the write lock up front rather than on the first write of the group.
        writerControl.execute("begin immediate");
        // Board versions as of this transaction; merged into committedVersions only on commit.
        Map<String, Long> versions = new HashMap<>();
        Map<String, Long> advanced = new LinkedHashMap<>();
        int appendBatches = 0;
        int watches = 0;
        for (WriteTask<?> task : group) {
            if (task instanceof AppendTask append) {
                long current = versionOf(append.boardId, versions);
                if (current < 0) {
                    append.fail(new LinkboardException(ErrorCode.NOT_FOUND, "no board " + append.boardId,
                            Map.of("board", append.boardId)));
                    continue;
                }
                LinkboardException gap = seqGap(append, current);
                if (gap != null) {
                    append.fail(gap);
                    continue;
                }
                for (LoggedOp op : append.ops) {
                    insertOp.setString(1, append.boardId);
                    insertOp.setLong(2, op.seq());
                    insertOp.setString(3, op.opJson());
                    insertOp.setString(4, op.by());
                    insertOp.setString(5, op.cid());
                    insertOp.setLong(6, op.at());
                    insertOp.addBatch();
                }
                long last = append.ops.get(append.ops.size() - 1).seq();
                versions.put(append.boardId, last);
                advanced.put(append.boardId, last);
                appendBatches++;
            } else if (task instanceof WatchTask watch) {
                insertWatch.setString(1, watch.boardId);
                insertWatch.setString(2, watch.itemId);
                insertWatch.setString(3, watch.userId);
                insertWatch.addBatch();
                watches++;
            } else if (task instanceof StatementTask<?> statement) {
                // In queue order: an unwatch after a watch of the same group must win.
                if (watches > 0) {
                    insertWatch.executeBatch();
                    watches = 0;
                }
                runInSavepoint(statement);
            }
        }
        if (watches > 0) insertWatch.executeBatch();
        if (appendBatches > 0) {
            // One prepared insert for all ops of the group, one version update per board.
            insertOp.executeBatch();
            for (Map.Entry<String, Long> board : advanced.entrySet()) {
                updateVersion.setLong(1, board.getValue());
                updateVersion.setString(2, board.getKey());
                updateVersion.addBatch();
            }
            updateVersion.executeBatch();
        }
        writerControl.execute("commit");
        committedVersions.putAll(versions);
        commits.incrementAndGet();
        committedAppends.addAndGet(appendBatches);
    }

    /** The board's version in the running transaction, or -1 when there is no such board. */
    private long versionOf(String boardId, Map<String, Long> versions) throws SQLException {
        Long version = versions.get(boardId);
        if (version == null) {
            version = committedVersions.get(boardId);
        }
        if (version == null) {
            selectVersion.setString(1, boardId);
            try (ResultSet rs = selectVersion.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                version = rs.getLong(1);
            }
        }
        versions.put(boardId, version);
        return version;
    }

    private static LinkboardException seqGap(AppendTask append, long current) {
        for (int i = 0; i < append.ops.size(); i++) {
            long expected = current + 1 + i;
            long seq = append.ops.get(i).seq();
            if (seq != expected) {
                return new LinkboardException(ErrorCode.CONFLICT,
                        "op seq " + seq + " does not follow board " + append.boardId + " at version "
                                + (expected - 1),
                        Map.of("board", append.boardId, "expected", expected, "seq", seq));
            }
        }
        return null;
    }

    private void runInSavepoint(StatementTask<?> task) throws SQLException {
        writerControl.execute("savepoint write_task");
        try {
            task.runOn(writer);
            writerControl.execute("release write_task");
        } catch (SQLException e) {
            if (!isConstraint(e)) {
                // The database itself failed: the whole transaction goes, every write fails.
                throw e;
            }
            undoSavepoint();
            task.fail(failureOf(e));
        } catch (Throwable t) {
            undoSavepoint();
            task.fail(failureOf(t));
        }
    }

    private void undoSavepoint() throws SQLException {
        writerControl.execute("rollback to write_task");
        writerControl.execute("release write_task");
    }

    private void rollbackQuietly() {
        try {
            insertOp.clearBatch();
            updateVersion.clearBatch();
            insertWatch.clearBatch();
        } catch (SQLException | RuntimeException ignored) {
            // Statements of a closed connection; the rollback below reports what matters.
        }
        try {
            writerControl.execute("rollback");
        } catch (SQLException e) {
            // SQLite may have rolled back by itself already (e.g. on SQLITE_FULL): that is fine.
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                LOG.warn("rollback failed", e);
            }
        } catch (RuntimeException e) {
            LOG.warn("rollback failed", e);
        }
    }

    /** Closes every connection. Runs on the writer thread, after the last group committed. */
    private void shutdown() {
        ExecutorService pool = readers;
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        for (Connection conn : readerConnections) {
            closeQuietly(conn);
        }
        readerConnections.clear();
        stopCheckpointer();
        // The writer closes last, so its close checkpoints the WAL into the database file.
        closeWriter();
        LOG.info("store closed at {}", dbFile);
    }

    private void closeWriter() {
        closeQuietly(insertOp);
        closeQuietly(selectVersion);
        closeQuietly(updateVersion);
        closeQuietly(insertWatch);
        closeQuietly(writerControl);
        closeQuietly(writer);
    }

    /**
     * Opens a connection. Durability settings (WAL, {@code synchronous}) are set on every
     * connection because {@code synchronous} is per connection.
     */
    private Connection connect(boolean forWriter) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (forWriter) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        // POWER: FULL, each commit fsyncs the WAL (group commit shares one fsync by a whole group).
        // PROCESS: NORMAL, a commit is written to the WAL but forced to disk only by the
        // checkpointer: it survives kill -9 (the pages are in the OS cache), not a power loss.
        config.setSynchronous(durability == Durability.PROCESS
                ? SQLiteConfig.SynchronousMode.NORMAL : SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // After a checkpoint, truncate a WAL that a burst grew beyond this instead of keeping it.
        config.setJournalSizeLimit(64 * 1024 * 1024);
        config.enforceForeignKeys(true);
        // Nothing reads generated keys, and with them on the driver matches every statement it
        // executes against a regex and follows each INSERT with a SELECT last_insert_rowid().
        config.setGetGeneratedKeys(false);
        return config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
    }

    // ---- failures and completion ------------------------------------------------------------

    private static boolean isConstraint(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se && (se.getResultCode().code & 0xFF) == SQLITE_CONSTRAINT) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getErrorCode() != 0
                    && (sql.getErrorCode() & 0xFF) == SQLITE_CONSTRAINT) {
                return true;
            }
            // executeBatch re-wraps the driver's exception in a BatchUpdateException keeping only
            // its message.
            if (t.getMessage() != null && t.getMessage().contains("SQLITE_CONSTRAINT")) {
                return true;
            }
        }
        return false;
    }

    /** Maps anything thrown by store work to the one exception type our futures fail with. */
    private static LinkboardException failureOf(Throwable t) {
        if (t instanceof LinkboardException e) {
            return e;
        }
        if (t instanceof SQLException e) {
            if (isConstraint(e)) {
                return new LinkboardException(ErrorCode.CONFLICT, "conflicts with stored data: " + e.getMessage());
            }
            return unavailable("the store cannot take the request now: " + e.getMessage());
        }
        return internal("store failure", t);
    }

    private static LinkboardException unavailable(String message) {
        return new LinkboardException(ErrorCode.UNAVAILABLE, message);
    }

    private static LinkboardException internal(String message, Throwable cause) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("{} [{}]", message, id, cause);
        return new LinkboardException(ErrorCode.INTERNAL, message + " [" + id + "]", Map.of("id", id));
    }

    private static <T> void complete(Context context, Promise<T> promise, T result, Throwable failure) {
        context.runOnContext(v -> {
            if (failure != null) {
                promise.fail(failure);
            } else {
                promise.complete(result);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    /** Work on a connection of the store's own threads. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection conn) throws SQLException;
    }

    /** A write waiting for the writer: its outcome is set during the group, delivered after it. */
    private abstract static class WriteTask<T> {
        final ContextInternal context;
        final Promise<T> promise = Promise.promise();
        T result;
        Throwable failure;

        /** {@link System#nanoTime()} by which a ride-along write must be committed; 0 for a write that is due now. */
        final long dueNanos;

        WriteTask(Context context) {
            this(context, 0);
        }

        WriteTask(Context context, long dueNanos) {
            this.context = (ContextInternal) context;
            this.dueNanos = dueNanos;
        }

        void fail(Throwable t) {
            failure = t;
        }

        void reset() {
            result = null;
            failure = null;
        }

        void completeOnCallerContext() {
            complete(context, promise, result, failure);
        }

        /** Completes the promise here; on the caller's context ({@link #completeByCaller}). */
        void completeHere() {
            if (failure != null) {
                promise.fail(failure);
            } else {
                promise.complete(result);
            }
        }
    }

    /**
     * A watch an op implies: rides along with the next write (due {@link #RIDE_ALONG_NANOS} after
     * it was made) and is inserted with the group's other watches in one batch, without a
     * savepoint ({@code insert or ignore} into a table without foreign keys cannot fail on its data).
     */
    private static final class WatchTask extends WriteTask<Void> {
        final String boardId;
        final String itemId;
        final String userId;

        WatchTask(Context context, String boardId, String itemId, String userId) {
            super(context, System.nanoTime() + RIDE_ALONG_NANOS);
            this.boardId = boardId;
            this.itemId = itemId;
            this.userId = userId;
        }
    }

    private static final class AppendTask extends WriteTask<Void> {
        final String boardId;
        final List<LoggedOp> ops;

        AppendTask(Context context, String boardId, List<LoggedOp> ops) {
            super(context);
            this.boardId = boardId;
            this.ops = ops;
        }
    }

    private static final class StatementTask<T> extends WriteTask<T> {
        final SqlWork<T> work;

        StatementTask(Context context, SqlWork<T> work) {
            super(context);
            this.work = work;
        }

        void runOn(Connection conn) throws SQLException {
            result = work.run(conn);
        }
    }

    private static final class CloseTask extends WriteTask<Void> {
        CloseTask(Context context) {
            super(context);
        }
    }
}
