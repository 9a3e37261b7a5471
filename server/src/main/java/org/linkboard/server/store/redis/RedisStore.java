package org.linkboard.server.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.store.AttachmentRecord;
import org.linkboard.server.store.AuditQuery;
import org.linkboard.server.store.AuditRecord;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.NamedVersion;
import org.linkboard.server.store.NotificationRecord;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;
import org.linkboard.server.store.WebhookRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The cluster {@link Store}: everything in one Redis (or Redis Cluster: see {@link RedisKeys} for
 * the hash-tagged layout), shared by every node given the same URI and prefix.
 *
 * <p><b>Compare-and-append.</b> {@link #append} runs one Lua script that checks the board's
 * version equals the seq before the batch (else {@code CONFLICT}, details {@code version}), that no
 * op repeats a {@code (user, cid)} the board already holds (else {@code CONFLICT}, details
 * {@code reason=duplicate-cid}, {@code seq} of the original), then pushes the ops, indexes their
 * cids, trims the cid index to the newest {@link #CID_KEEP}, advances the version and publishes an
 * {@link OpAnnouncement} on the cluster channel, all atomically. So the seq order is one per board
 * across nodes, an op is only ever appended on top of the exact state it was validated against,
 * and every appended op is announced.
 *
 * <p><b>Durability.</b> The script's reply is sent after Redis applied it; it survives a Redis
 * crash only as far as Redis persistence allows ({@code appendonly yes} with
 * {@code appendfsync always} for "ack = durable" against a Redis crash; see docs/operations.md).
 * Killing a Linkboard node never loses an acknowledged op.
 *
 * <p><b>Threading and failures.</b> Every method may be called from any thread and completes on
 * the caller's Vert.x context. A connection failure, a timeout ({@link #COMMAND_TIMEOUT_MS}) or a
 * Redis-side refusal (OOM, LOADING, READONLY …) fails with {@code UNAVAILABLE}. The client pool
 * reconnects by itself, so calls succeed again as soon as Redis is back. A timed-out append may
 * still have been applied: callers treat UNAVAILABLE on append as "unknown" and the next append's
 * compare step tells (the board actor catches up on CONFLICT).
 *
 * <p><b>Change notices.</b> After a successful change of users or units the store publishes a
 * {@code directory} message, after a module enablement or settings change a {@code modules}
 * message {@code {"unit","module"}}, after a webhook is saved or deleted a {@code webhooks} message
 * {@code {"id"}}, on the cluster channel (see
 * {@link org.linkboard.server.cluster.ClusterBus}), so other nodes refresh their caches.
 *
 * <p><b>Extending.</b> A new kind of data gets keys from {@link #keys()}, runs commands through
 * {@link #send(Request)} and multi-key atomic steps through {@link #eval(RedisScript, List, List)}
 * (keys under one hash tag), which map failures as above.
 */
public final class RedisStore implements Store {

    private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());

    /** Cids remembered per board in Redis: the contract asks for 10 000; the actor's window is 16 384. */
    public static final int CID_KEEP = 20_000;
    /** A command that gets no answer in this time fails with UNAVAILABLE. */
    static final long COMMAND_TIMEOUT_MS = 5_000;
    /** Ops pushed per RPUSH inside the append script (Lua's unpack has a stack limit). */
    private static final int PUSH_CHUNK = 500;

    static final RedisScript APPEND = RedisScript.of("append", """
            local v = redis.call('HGET', KEYS[1], 'version')
            if not v then return redis.error_reply('NOT_FOUND board') end
            local expected = tonumber(ARGV[1])
            if tonumber(v) ~= expected then return redis.error_reply('CONFLICT ' .. v) end
            local n = tonumber(ARGV[5])
            for i = 1, n do
              local ck = ARGV[5 + 2 * i]
              if ck ~= '' then
                local seen = redis.call('HGET', KEYS[3], ck)
                if seen then return redis.error_reply('DUPLICATE ' .. seen .. ' ' .. i) end
              end
            end
            local chunk = tonumber(ARGV[6 + 2 * n])
            local i = 1
            while i <= n do
              local part = {}
              local j = i
              while j <= n and j < i + chunk do
                part[#part + 1] = ARGV[4 + 2 * j]
                j = j + 1
              end
              redis.call('RPUSH', KEYS[2], unpack(part))
              i = j
            end
            local logged = {}
            for i = 1, n do
              local ck = ARGV[5 + 2 * i]
              if ck ~= '' then
                local seq = expected + i
                redis.call('HSETNX', KEYS[3], ck, seq)
                logged[#logged + 1] = string.format('%d', seq) .. '\\n' .. ck
                if #logged >= chunk then
                  redis.call('RPUSH', KEYS[4], unpack(logged))
                  logged = {}
                end
              end
            end
            if #logged > 0 then redis.call('RPUSH', KEYS[4], unpack(logged)) end
            local excess = redis.call('LLEN', KEYS[4]) - tonumber(ARGV[2])
            if excess > 0 then
              local old = redis.call('LPOP', KEYS[4], excess)
              for _, e in ipairs(old) do
                local nl = string.find(e, '\\n', 1, true)
                local seq = string.sub(e, 1, nl - 1)
                local ck = string.sub(e, nl + 1)
                if redis.call('HGET', KEYS[3], ck) == seq then redis.call('HDEL', KEYS[3], ck) end
              end
            end
            local newv = expected + n
            redis.call('HSET', KEYS[1], 'version', string.format('%d', newv))
            if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
            return newv
            """);

    static final RedisScript FIND_BY_CID = RedisScript.of("find-by-cid", """
            local s = redis.call('HGET', KEYS[1], ARGV[1])
            if not s then return false end
            local e = redis.call('LINDEX', KEYS[2], tonumber(s) - 1)
            if not e then return false end
            return e
            """);

    static final RedisScript SAVE_SNAPSHOT = RedisScript.of("save-snapshot", """
            local cur = redis.call('HGET', KEYS[1], 'version')
            if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'items', ARGV[2])
            return 1
            """);

    static final RedisScript CREATE_BOARD = RedisScript.of("create-board", """
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('CONFLICT board exists') end
            redis.call('HSET', KEYS[1], 'title', ARGV[1], 'unit', ARGV[2], 'createdAt', ARGV[3],
              'version', ARGV[4], 'archived', ARGV[5])
            return 1
            """);

    static final RedisScript ARCHIVE_BOARD = RedisScript.of("archive-board", """
            if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOT_FOUND board') end
            redis.call('HSET', KEYS[1], 'archived', '1')
            return 1
            """);

    static final RedisScript CREATE_UNIT = RedisScript.of("create-unit", """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return redis.error_reply('CONFLICT id') end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
            return 1
            """);

    static final RedisScript CREATE_USER = RedisScript.of("create-user", """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return redis.error_reply('CONFLICT id') end
            if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return redis.error_reply('CONFLICT username') end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
            return 1
            """);

    static final RedisScript DELETE_USER = RedisScript.of("delete-user", """
            local j = redis.call('HGET', KEYS[1], ARGV[1])
            if not j then return 0 end
            local u = cjson.decode(j)
            redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HGET', KEYS[2], u.username) == ARGV[1] then redis.call('HDEL', KEYS[2], u.username) end
            redis.call('ZREM', KEYS[3], ARGV[1])
            return 1
            """);

    /** The values of a hash in the order of a sorted set of its fields. */
    static final RedisScript LIST_IN_ORDER = RedisScript.of("list-in-order", """
            local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
            local out = {}
            for _, id in ipairs(ids) do
              local v = redis.call('HGET', KEYS[1], id)
              if v then out[#out + 1] = v end
            end
            return out
            """);

    static final RedisScript APPEND_AUDIT = RedisScript.of("append-audit", """
            local id = redis.call('INCR', KEYS[2])
            redis.call('ZADD', KEYS[1], id, string.format('%d', id) .. '\\n' .. ARGV[1])
            return id
            """);

    static final RedisScript DELETE_WEBHOOK = RedisScript.of("delete-webhook", """
            redis.call('HDEL', KEYS[2], ARGV[1])
            return redis.call('HDEL', KEYS[1], ARGV[1])
            """);

    static final RedisScript SET_WEBHOOK_CURSOR = RedisScript.of("set-webhook-cursor", """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """);

    static final RedisScript ADD_NOTIFICATIONS = RedisScript.of("add-notifications", """
            local n = 0
            for i = 1, #ARGV, 4 do
              if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 2]) == 1 then
                redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
                if ARGV[i + 3] == '1' then redis.call('SADD', KEYS[3], ARGV[i]) end
                n = n + 1
              end
            end
            return n
            """);

    /** Newest first from {@code at >= ARGV[1]}, unread only when ARGV[2] = 1, at most ARGV[3]: id, json, read triples. */
    static final RedisScript LIST_NOTIFICATIONS = RedisScript.of("list-notifications", """
            local out = {}
            local limit = tonumber(ARGV[3])
            local offset = 0
            while #out < 3 * limit do
              local ids = redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', ARGV[1], 'LIMIT', offset, 200)
              if #ids == 0 then break end
              offset = offset + #ids
              for _, id in ipairs(ids) do
                local read = redis.call('SISMEMBER', KEYS[3], id)
                if ARGV[2] ~= '1' or read == 0 then
                  out[#out + 1] = id
                  out[#out + 1] = redis.call('HGET', KEYS[1], id)
                  out[#out + 1] = tostring(read)
                  if #out >= 3 * limit then break end
                end
              end
            end
            return out
            """);

    static final RedisScript MARK_READ = RedisScript.of("mark-read", """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1
            """);

    static final RedisScript MARK_ALL_READ = RedisScript.of("mark-all-read", """
            local ids = redis.call('HKEYS', KEYS[1])
            local n = 0
            for i = 1, #ids, 500 do
              local part = {}
              for j = i, math.min(i + 499, #ids) do part[#part + 1] = ids[j] end
              n = n + redis.call('SADD', KEYS[2], unpack(part))
            end
            return n
            """);

    static final RedisScript ADD_ATTACHMENT = RedisScript.of("add-attachment", """
            local used = tonumber(redis.call('GET', KEYS[2]) or '0')
            if used + tonumber(ARGV[3]) > tonumber(ARGV[4]) then return 0 end
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('INCRBY', KEYS[2], ARGV[3])
            return 1
            """);

    /** Answers the size of the deleted attachment, or -1 when there was none. */
    static final RedisScript DELETE_ATTACHMENT = RedisScript.of("delete-attachment", """
            local j = redis.call('HGET', KEYS[1], ARGV[1])
            if not j then return -1 end
            local size = cjson.decode(j).size or 0
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('DECRBY', KEYS[2], size)
            return size
            """);

    /** Sets (ARGV[1] = ms) or clears (ARGV[1] = '') removedAt of the attachments of the items ARGV[2..]; answers their ids. */
    static final RedisScript MARK_ATTACHMENTS_REMOVED = RedisScript.of("mark-attachments-removed", """
            local items = {}
            for i = 2, #ARGV do items[ARGV[i]] = true end
            local changed = {}
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              local a = cjson.decode(all[i + 1])
              if items[a.item] then
                if ARGV[1] == '' then a.removedAt = nil else a.removedAt = tonumber(ARGV[1]) end
                redis.call('HSET', KEYS[1], all[i], cjson.encode(a))
                changed[#changed + 1] = all[i]
              end
            end
            return changed
            """);

    /** Audit records read per round trip while filtering a query. */
    private static final int AUDIT_PAGE = 500;

    private final Vertx vertx;
    private final String uri;
    private final RedisKeys keys;
    private final String nodeId;
    private volatile Redis client;
    private volatile boolean closed;

    /**
     * @param uri    {@code redis://host:port[/db]} (or {@code rediss://}, {@code unix://})
     * @param prefix key prefix, so several deployments (or tests) share one Redis
     * @param nodeId stamped on the announcements of this node's appends
     */
    public RedisStore(Vertx vertx, String uri, String prefix, String nodeId) {
        this.vertx = vertx;
        this.uri = uri;
        this.keys = new RedisKeys(prefix);
        this.nodeId = nodeId;
    }

    public RedisKeys keys() {
        return keys;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The Redis URI, for the cluster bus's own subscriber connection. */
    public String uri() {
        return uri;
    }

    /** Options for a client of this store's Redis (also used for the subscriber connection). */
    public static RedisOptions redisOptions(String uri) {
        return new RedisOptions()
                .setConnectionString(uri)
                // Appends of many boards and reads run concurrently: a few connections, a deep queue.
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(100_000)
                .setMaxWaitingHandlers(100_000)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(2_000).setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Override
    public Future<Void> open() {
        client = Redis.createClient(vertx, redisOptions(uri));
        // Fails with UNAVAILABLE when Redis is not there: a node does not start without its store.
        return ping();
    }

    @Override
    public Future<Void> close() {
        closed = true;
        Redis c = client;
        if (c == null) return Future.succeededFuture();
        return c.close().otherwiseEmpty();
    }

    @Override
    public Future<Void> ping() {
        return send(Request.cmd(Command.PING)).mapEmpty();
    }

    // ---- op log -----------------------------------------------------------------------------

    @Override
    public Future<Void> append(String boardId, List<LoggedOp> ops) {
        if (ops.isEmpty()) return Future.succeededFuture();
        long expected = ops.get(0).seq() - 1;
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).seq() != expected + 1 + i) {
                return onCaller(Future.failedFuture(new LinkboardException(ErrorCode.CONFLICT,
                        "ops of one append must carry consecutive seqs")));
            }
        }
        List<String> args = new ArrayList<>(6 + 2 * ops.size());
        args.add(Long.toString(expected));
        args.add(Integer.toString(CID_KEEP));
        args.add(keys.clusterChannel());
        args.add(nodeId == null ? "" : new OpAnnouncement(nodeId, boardId, ops).encode());
        args.add(Integer.toString(ops.size()));
        for (LoggedOp op : ops) {
            args.add(LoggedOpFormat.encode(op));
            args.add(op.cid() == null ? "" : cidKey(op.by(), op.cid()));
        }
        args.add(Integer.toString(PUSH_CHUNK));
        return eval(APPEND, List.of(keys.board(boardId), keys.ops(boardId), keys.cids(boardId), keys.cidLog(boardId)), args)
                .mapEmpty();
    }

    @Override
    public Future<List<LoggedOp>> readOps(String boardId, long since, int limit) {
        if (limit <= 0) return onCaller(Future.succeededFuture(List.of()));
        long from = Math.max(0, since);
        long to = from + limit - 1;
        return send(Request.cmd(Command.LRANGE).arg(keys.ops(boardId)).arg(from).arg(to < from ? -1 : to))
                .map(RedisStore::decodeOps);
    }

    @Override
    public Future<List<LoggedOp>> readRecentOps(String boardId, int max) {
        if (max <= 0) return onCaller(Future.succeededFuture(List.of()));
        return send(Request.cmd(Command.LRANGE).arg(keys.ops(boardId)).arg(-max).arg(-1)).map(RedisStore::decodeOps);
    }

    @Override
    public Future<LoggedOp> findByCid(String boardId, String userId, String cid) {
        return eval(FIND_BY_CID, List.of(keys.cids(boardId), keys.ops(boardId)), List.of(cidKey(userId, cid)))
                .map(r -> r == null ? null : LoggedOpFormat.decode(r.toString()));
    }

    @Override
    public Future<Snapshot> latestSnapshot(String boardId) {
        return send(Request.cmd(Command.HMGET).arg(keys.snapshot(boardId)).arg("version").arg("items")).map(r -> {
            if (r == null || r.get(0) == null || r.get(1) == null) return null;
            return new Snapshot(r.get(0).toLong(), r.get(1).toString());
        });
    }

    @Override
    public Future<Void> saveSnapshot(String boardId, Snapshot snapshot) {
        return eval(SAVE_SNAPSHOT, List.of(keys.snapshot(boardId)),
                List.of(Long.toString(snapshot.version()), snapshot.itemsJson())).mapEmpty();
    }

    // ---- boards -----------------------------------------------------------------------------

    @Override
    public Future<BoardRecord> createBoard(BoardRecord board) {
        return eval(CREATE_BOARD, List.of(keys.board(board.id())), List.of(board.title(), board.unit(),
                Long.toString(board.createdAt()), Long.toString(board.version()), board.archived() ? "1" : "0"))
                // A second step in the directory's slot: a crash between the two leaves a board that
                // exists but is not listed (its id was never handed out, as createBoard failed).
                .compose(v -> send(Request.cmd(Command.ZADD).arg(keys.boardIndex()).arg(board.createdAt()).arg(board.id())))
                .map(board);
    }

    @Override
    public Future<BoardRecord> getBoard(String boardId) {
        return send(Request.cmd(Command.HGETALL).arg(keys.board(boardId))).map(r -> decodeBoard(boardId, r));
    }

    @Override
    public Future<List<BoardRecord>> listBoards(boolean includeArchived) {
        return send(Request.cmd(Command.ZRANGE).arg(keys.boardIndex()).arg(0).arg(-1)).compose(ids -> {
            List<Future<BoardRecord>> all = new ArrayList<>();
            for (Response id : ids) all.add(getBoard(id.toString()));
            return Future.all(all).map(cf -> {
                List<BoardRecord> out = new ArrayList<>();
                for (int i = 0; i < cf.size(); i++) {
                    BoardRecord b = cf.resultAt(i);
                    if (b != null && (includeArchived || !b.archived())) out.add(b);
                }
                return out;
            });
        });
    }

    @Override
    public Future<Void> archiveBoard(String boardId) {
        return eval(ARCHIVE_BOARD, List.of(keys.board(boardId)), List.of()).mapEmpty();
    }

    // ---- units and users --------------------------------------------------------------------

    @Override
    public Future<UnitRecord> createUnit(UnitRecord unit) {
        JsonObject json = new JsonObject().put("id", unit.id()).put("name", unit.name()).put("kind", unit.kind())
                .put("parent", unit.parent());
        return eval(CREATE_UNIT, List.of(keys.units(), keys.unitOrder(), keys.counter()), List.of(unit.id(), json.encode()))
                .onSuccess(v -> announce(DIRECTORY_TOPIC, new JsonObject()))
                .map(unit);
    }

    @Override
    public Future<List<UnitRecord>> listUnits() {
        return eval(LIST_IN_ORDER, List.of(keys.units(), keys.unitOrder()), List.of()).map(r -> {
            List<UnitRecord> out = new ArrayList<>();
            for (Response e : r) {
                JsonObject j = new JsonObject(e.toString());
                out.add(new UnitRecord(j.getString("id"), j.getString("name"), j.getString("kind"), j.getString("parent")));
            }
            return out;
        });
    }

    @Override
    public Future<UserRecord> createUser(UserRecord user) {
        return eval(CREATE_USER, List.of(keys.users(), keys.usernames(), keys.userOrder()),
                List.of(user.id(), user.username(), encodeUser(user).encode(), Long.toString(user.createdAt())))
                .onSuccess(v -> announce(DIRECTORY_TOPIC, new JsonObject()))
                .map(user);
    }

    @Override
    public Future<UserRecord> getUser(String userId) {
        return send(Request.cmd(Command.HGET).arg(keys.users()).arg(userId))
                .map(r -> r == null ? null : decodeUser(r.toString()));
    }

    @Override
    public Future<UserRecord> findUserByUsername(String username) {
        return send(Request.cmd(Command.HGET).arg(keys.usernames()).arg(username))
                .compose(id -> id == null ? Future.succeededFuture(null) : getUser(id.toString()));
    }

    @Override
    public Future<List<UserRecord>> listUsers() {
        return eval(LIST_IN_ORDER, List.of(keys.users(), keys.userOrder()), List.of()).map(r -> {
            List<UserRecord> out = new ArrayList<>();
            for (Response e : r) out.add(decodeUser(e.toString()));
            return out;
        });
    }

    @Override
    public Future<Boolean> deleteUser(String userId) {
        return eval(DELETE_USER, List.of(keys.users(), keys.usernames(), keys.userOrder()), List.of(userId))
                .map(r -> r != null && r.toLong() == 1)
                .onSuccess(deleted -> {
                    if (deleted) announce(DIRECTORY_TOPIC, new JsonObject());
                });
    }

    // ---- modules ----------------------------------------------------------------------------

    @Override
    public Future<Map<String, Map<String, Boolean>>> moduleEnablement() {
        return send(Request.cmd(Command.HGETALL).arg(keys.modules())).map(r -> {
            Map<String, Map<String, Boolean>> out = new TreeMap<>();
            if (r == null) return out;
            for (String field : r.getKeys()) {
                int nl = field.indexOf('\n');
                out.computeIfAbsent(field.substring(0, nl), k -> new LinkedHashMap<>())
                        .put(field.substring(nl + 1), "1".equals(r.get(field).toString()));
            }
            return out;
        });
    }

    @Override
    public Future<Void> setModuleEnabled(String unitId, String moduleId, Boolean enabled) {
        String field = unitId + '\n' + moduleId;
        Request req = enabled == null
                ? Request.cmd(Command.HDEL).arg(keys.modules()).arg(field)
                : Request.cmd(Command.HSET).arg(keys.modules()).arg(field).arg(enabled ? "1" : "0");
        return send(req).onSuccess(v -> announce(MODULES_TOPIC, new JsonObject().put("unit", unitId).put("module", moduleId)))
                .mapEmpty();
    }

    @Override
    public Future<String> moduleSettings(String unitId, String moduleId) {
        return send(Request.cmd(Command.HGET).arg(keys.moduleSettings()).arg(unitId + '\n' + moduleId))
                .map(r -> r == null ? null : r.toString());
    }

    @Override
    public Future<Void> saveModuleSettings(String unitId, String moduleId, String json) {
        return send(Request.cmd(Command.HSET).arg(keys.moduleSettings()).arg(unitId + '\n' + moduleId).arg(json))
                .onSuccess(v -> announce(MODULES_TOPIC, new JsonObject().put("unit", unitId).put("module", moduleId)))
                .mapEmpty();
    }

    // ---- metadata ---------------------------------------------------------------------------

    @Override
    public Future<String> getMeta(String key) {
        return send(Request.cmd(Command.HGET).arg(keys.meta()).arg(key)).map(r -> r == null ? null : r.toString());
    }

    @Override
    public Future<String> putMetaIfAbsent(String key, String value) {
        return send(Request.cmd(Command.HSETNX).arg(keys.meta()).arg(key).arg(value)).compose(v -> getMeta(key));
    }

    // ---- operations: audit, webhooks, named versions, older snapshots -----------------------

    @Override
    public Future<Void> appendAudit(AuditRecord r) {
        JsonObject json = new JsonObject().put("at", r.at()).put("actor", r.actor()).put("actorName", r.actorName())
                .put("action", r.action()).put("target", r.target()).put("details", r.detailsJson());
        return eval(APPEND_AUDIT, List.of(keys.audit(), keys.directory("audit:id")), List.of(json.encode())).mapEmpty();
    }

    /** Newest first, filtered here (the audit log is small: admin actions), paged from Redis. */
    @Override
    public Future<List<AuditRecord>> queryAudit(AuditQuery q) {
        List<AuditRecord> out = new ArrayList<>();
        if (q.limit() <= 0) return onCaller(Future.succeededFuture(out));
        return auditPage(q, 0, out);
    }

    private Future<List<AuditRecord>> auditPage(AuditQuery q, long offset, List<AuditRecord> out) {
        return send(Request.cmd(Command.ZRANGE).arg(keys.audit()).arg(offset).arg(offset + AUDIT_PAGE - 1).arg("REV"))
                .compose(page -> {
                    for (Response e : page) {
                        AuditRecord r = decodeAudit(e.toString());
                        if (q.until() != null && r.at() >= q.until()) continue;
                        if (q.since() != null && r.at() < q.since()) continue;
                        if (q.actor() != null && !q.actor().equals(r.actor())) continue;
                        if (q.action() != null && !q.action().equals(r.action())) continue;
                        out.add(r);
                        if (out.size() >= q.limit()) return Future.succeededFuture(out);
                    }
                    return page.size() < AUDIT_PAGE ? Future.succeededFuture(out) : auditPage(q, offset + AUDIT_PAGE, out);
                });
    }

    private static AuditRecord decodeAudit(String member) {
        int nl = member.indexOf('\n');
        JsonObject j = new JsonObject(member.substring(nl + 1));
        return new AuditRecord(Long.parseLong(member.substring(0, nl)), j.getLong("at", 0L), j.getString("actor"),
                j.getString("actorName"), j.getString("action"), j.getString("target"), j.getString("details"));
    }

    @Override
    public Future<Void> saveWebhook(WebhookRecord h) {
        JsonObject json = new JsonObject().put("id", h.id()).put("url", h.url()).put("secret", h.secret())
                .put("board", h.board()).put("events", new JsonArray(h.events())).put("createdBy", h.createdBy())
                .put("createdAt", h.createdAt());
        return send(Request.cmd(Command.HSET).arg(keys.webhooks()).arg(h.id()).arg(json.encode()))
                .compose(v -> send(Request.cmd(Command.HSET).arg(keys.webhookCursors()).arg(h.id()).arg(h.cursor())))
                .onSuccess(v -> announce(WEBHOOKS_TOPIC, new JsonObject().put("id", h.id())))
                .mapEmpty();
    }

    @Override
    public Future<List<WebhookRecord>> listWebhooks() {
        return send(Request.cmd(Command.HGETALL).arg(keys.webhooks())).compose(hooks ->
                send(Request.cmd(Command.HGETALL).arg(keys.webhookCursors())).map(cursors -> {
                    List<WebhookRecord> out = new ArrayList<>();
                    if (hooks == null) return out;
                    for (String id : hooks.getKeys()) {
                        JsonObject j = new JsonObject(hooks.get(id).toString());
                        List<String> events = new ArrayList<>();
                        j.getJsonArray("events", new JsonArray()).forEach(e -> events.add(String.valueOf(e)));
                        Response c = cursors == null ? null : cursors.get(id);
                        out.add(new WebhookRecord(id, j.getString("url"), j.getString("secret"), j.getString("board"), events,
                                j.getString("createdBy"), j.getLong("createdAt", 0L), c == null ? 0 : c.toLong()));
                    }
                    out.sort(java.util.Comparator.comparingLong(WebhookRecord::createdAt).thenComparing(WebhookRecord::id));
                    return out;
                }));
    }

    @Override
    public Future<Boolean> deleteWebhook(String id) {
        return eval(DELETE_WEBHOOK, List.of(keys.webhooks(), keys.webhookCursors()), List.of(id))
                .map(r -> r != null && r.toLong() > 0)
                .onSuccess(deleted -> {
                    if (deleted) announce(WEBHOOKS_TOPIC, new JsonObject().put("id", id));
                });
    }

    @Override
    public Future<Void> setWebhookCursor(String id, long seq) {
        return eval(SET_WEBHOOK_CURSOR, List.of(keys.webhooks(), keys.webhookCursors()), List.of(id, Long.toString(seq)))
                .mapEmpty();
    }

    @Override
    public Future<Void> saveNamedVersion(NamedVersion v) {
        JsonObject json = new JsonObject().put("name", v.name()).put("version", v.version()).put("by", v.by()).put("at", v.at());
        return send(Request.cmd(Command.RPUSH).arg(keys.namedVersions(v.board())).arg(json.encode())).mapEmpty();
    }

    @Override
    public Future<List<NamedVersion>> namedVersions(String boardId) {
        return send(Request.cmd(Command.LRANGE).arg(keys.namedVersions(boardId)).arg(0).arg(-1)).map(r -> {
            List<NamedVersion> out = new ArrayList<>();
            if (r == null) return out;
            for (Response e : r) {
                JsonObject j = new JsonObject(e.toString());
                out.add(new NamedVersion(boardId, j.getString("name"), j.getLong("version"), j.getString("by"), j.getLong("at", 0L)));
            }
            out.sort(java.util.Comparator.comparingLong(NamedVersion::version).thenComparingLong(NamedVersion::at));
            return out;
        });
    }

    /** Only the newest snapshot is kept: it answers when it is old enough, else null (replay from 0). */
    @Override
    public Future<Snapshot> snapshotAtOrBefore(String boardId, long version) {
        return latestSnapshot(boardId).map(s -> s != null && s.version() <= version ? s : null);
    }

    // ---- collaboration: notifications, watches, claims, settings, attachments ----------------

    @Override
    public Future<Void> addNotifications(List<NotificationRecord> notifications) {
        Map<String, List<String>> byUser = new LinkedHashMap<>();
        for (NotificationRecord n : notifications) {
            JsonObject json = new JsonObject().put("kind", n.kind()).put("board", n.board()).put("item", n.item())
                    .put("by", n.by()).put("text", n.text()).put("at", n.at());
            List<String> args = byUser.computeIfAbsent(n.userId(), u -> new ArrayList<>());
            args.add(n.id());
            args.add(Long.toString(n.at()));
            args.add(json.encode());
            args.add(n.read() ? "1" : "0");
        }
        List<Future<Response>> all = new ArrayList<>();
        byUser.forEach((user, args) -> all.add(eval(ADD_NOTIFICATIONS,
                List.of(keys.notifications(user), keys.notificationTimes(user), keys.notificationsRead(user)), args)));
        return onCaller(Future.all(all).mapEmpty());
    }

    @Override
    public Future<List<NotificationRecord>> listNotifications(String userId, boolean unreadOnly, long since, int limit) {
        if (limit <= 0) return onCaller(Future.succeededFuture(List.of()));
        return eval(LIST_NOTIFICATIONS, List.of(keys.notifications(userId), keys.notificationTimes(userId),
                keys.notificationsRead(userId)), List.of(Long.toString(since), unreadOnly ? "1" : "0", Integer.toString(limit)))
                .map(r -> {
                    List<NotificationRecord> out = new ArrayList<>();
                    for (int i = 0; i + 2 < r.size(); i += 3) {
                        if (r.get(i + 1) == null) continue;
                        JsonObject j = new JsonObject(r.get(i + 1).toString());
                        out.add(new NotificationRecord(r.get(i).toString(), userId, j.getString("kind"), j.getString("board"),
                                j.getString("item"), j.getString("by"), j.getString("text"), j.getLong("at", 0L),
                                "1".equals(r.get(i + 2).toString())));
                    }
                    return out;
                });
    }

    @Override
    public Future<Boolean> markNotificationRead(String userId, String notificationId) {
        return eval(MARK_READ, List.of(keys.notifications(userId), keys.notificationsRead(userId)), List.of(notificationId))
                .map(r -> r != null && r.toLong() == 1);
    }

    @Override
    public Future<Integer> markAllNotificationsRead(String userId) {
        return eval(MARK_ALL_READ, List.of(keys.notifications(userId), keys.notificationsRead(userId)), List.of())
                .map(r -> r == null ? 0 : r.toInteger());
    }

    @Override
    public Future<Void> setWatch(String boardId, String itemId, String userId, boolean watching) {
        return send(Request.cmd(watching ? Command.SADD : Command.SREM).arg(keys.watchers(boardId, itemId)).arg(userId))
                .mapEmpty();
    }

    @Override
    public Future<List<String>> watchers(String boardId, String itemId) {
        return send(Request.cmd(Command.SMEMBERS).arg(keys.watchers(boardId, itemId))).map(r -> {
            List<String> out = new ArrayList<>();
            if (r != null) for (Response e : r) out.add(e.toString());
            java.util.Collections.sort(out);
            return out;
        });
    }

    @Override
    public Future<Boolean> claimReminder(String key) {
        return send(Request.cmd(Command.HSETNX).arg(keys.claims()).arg(key).arg(System.currentTimeMillis()))
                .map(r -> r != null && r.toLong() == 1);
    }

    @Override
    public Future<String> userSettings(String userId) {
        return send(Request.cmd(Command.HGET).arg(keys.userSettings()).arg(userId)).map(r -> r == null ? null : r.toString());
    }

    @Override
    public Future<Void> saveUserSettings(String userId, String json) {
        return send(Request.cmd(Command.HSET).arg(keys.userSettings()).arg(userId).arg(json)).mapEmpty();
    }

    @Override
    public Future<Boolean> addAttachment(AttachmentRecord a, long boardLimitBytes) {
        return eval(ADD_ATTACHMENT, List.of(keys.attachments(a.board()), keys.attachmentBytes(a.board())),
                List.of(a.id(), encodeAttachment(a).encode(), Long.toString(a.size()), Long.toString(boardLimitBytes)))
                .compose(r -> {
                    boolean added = r != null && r.toLong() == 1;
                    if (!added || a.removedAt() == null) return Future.succeededFuture(added);
                    return send(Request.cmd(Command.ZADD).arg(keys.removedAttachments()).arg(a.removedAt())
                            .arg(a.board() + '\n' + a.id())).map(added);
                });
    }

    @Override
    public Future<List<AttachmentRecord>> listAttachments(String boardId, String itemId) {
        return send(Request.cmd(Command.HGETALL).arg(keys.attachments(boardId))).map(r -> {
            List<AttachmentRecord> out = new ArrayList<>();
            if (r == null) return out;
            for (String id : r.getKeys()) {
                AttachmentRecord a = decodeAttachment(boardId, id, r.get(id).toString());
                if (itemId.equals(a.item())) out.add(a);
            }
            out.sort(java.util.Comparator.comparingLong(AttachmentRecord::at).thenComparing(AttachmentRecord::id));
            return out;
        });
    }

    @Override
    public Future<AttachmentRecord> getAttachment(String boardId, String attachmentId) {
        return send(Request.cmd(Command.HGET).arg(keys.attachments(boardId)).arg(attachmentId))
                .map(r -> r == null ? null : decodeAttachment(boardId, attachmentId, r.toString()));
    }

    @Override
    public Future<Boolean> deleteAttachment(String boardId, String attachmentId) {
        return eval(DELETE_ATTACHMENT, List.of(keys.attachments(boardId), keys.attachmentBytes(boardId)), List.of(attachmentId))
                .compose(r -> {
                    boolean deleted = r != null && r.toLong() >= 0;
                    if (!deleted) return Future.succeededFuture(false);
                    // The removal index lives in the directory's slot: a second step.
                    return send(Request.cmd(Command.ZREM).arg(keys.removedAttachments()).arg(boardId + '\n' + attachmentId))
                            .map(true);
                });
    }

    @Override
    public Future<Void> markAttachmentsRemoved(String boardId, List<String> itemIds, Long removedAt) {
        if (itemIds.isEmpty()) return onCaller(Future.succeededFuture());
        List<String> args = new ArrayList<>();
        args.add(removedAt == null ? "" : Long.toString(removedAt));
        args.addAll(itemIds);
        return eval(MARK_ATTACHMENTS_REMOVED, List.of(keys.attachments(boardId)), args).compose(changed -> {
            if (changed == null || changed.size() == 0) return Future.succeededFuture();
            Request index = removedAt == null
                    ? Request.cmd(Command.ZREM).arg(keys.removedAttachments())
                    : Request.cmd(Command.ZADD).arg(keys.removedAttachments());
            for (Response id : changed) {
                if (removedAt != null) index.arg(removedAt);
                index.arg(boardId + '\n' + id.toString());
            }
            return send(index).mapEmpty();
        });
    }

    @Override
    public Future<List<AttachmentRecord>> attachmentsRemovedBefore(long before, int limit) {
        if (limit <= 0) return onCaller(Future.succeededFuture(List.of()));
        return send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.removedAttachments()).arg("-inf").arg("(" + before)
                .arg("LIMIT").arg(0).arg(limit)).compose(members -> {
            List<Future<AttachmentRecord>> all = new ArrayList<>();
            for (Response m : members) {
                String member = m.toString();
                int nl = member.indexOf('\n');
                all.add(getAttachment(member.substring(0, nl), member.substring(nl + 1)));
            }
            return Future.all(all).map(cf -> {
                List<AttachmentRecord> out = new ArrayList<>();
                for (int i = 0; i < cf.size(); i++) {
                    AttachmentRecord a = cf.resultAt(i);
                    if (a != null && a.removedAt() != null && a.removedAt() < before) out.add(a);
                }
                return out;
            });
        });
    }

    private static JsonObject encodeAttachment(AttachmentRecord a) {
        JsonObject j = new JsonObject().put("item", a.item()).put("name", a.name()).put("contentType", a.contentType())
                .put("size", a.size()).put("by", a.by()).put("at", a.at());
        if (a.removedAt() != null) j.put("removedAt", a.removedAt());
        return j;
    }

    private static AttachmentRecord decodeAttachment(String boardId, String id, String json) {
        JsonObject j = new JsonObject(json);
        Number removed = j.getNumber("removedAt");
        return new AttachmentRecord(id, boardId, j.getString("item"), j.getString("name"), j.getString("contentType"),
                j.getNumber("size", 0).longValue(), j.getString("by"), j.getNumber("at", 0).longValue(),
                removed == null ? null : removed.longValue());
    }

    // ---- plumbing ---------------------------------------------------------------------------

    /** Topic of "users or units changed" notices. */
    public static final String DIRECTORY_TOPIC = "directory";
    /** Topic of "a webhook was saved or deleted" notices: {@code {"id"}}. */
    public static final String WEBHOOKS_TOPIC = "webhooks";
    /** Topic of "module enablement or settings changed" notices: {@code {"unit","module"}}. */
    public static final String MODULES_TOPIC = "modules";

    /**
     * Tells the other nodes on the cluster channel ({@code {"t":topic,"n":node,"m":message}});
     * best effort: a node that misses it catches up at its next resync.
     */
    public void announce(String topic, JsonObject message) {
        if (nodeId == null) return;
        String payload = new JsonObject().put("t", topic).put("n", nodeId).put("m", message).encode();
        send(Request.cmd(Command.PUBLISH).arg(keys.clusterChannel()).arg(payload))
                .onFailure(e -> LOG.fine("cluster notice " + topic + " not sent: " + e.getMessage()));
    }

    /**
     * Sends one command; completes on the caller's context. Failures: {@code UNAVAILABLE} for
     * connection trouble, timeouts and Redis-side refusals; a script's own error reply
     * {@code "CODE message"} with CODE one of CONFLICT, NOT_FOUND becomes that code.
     */
    public Future<Response> send(Request request) {
        Context caller = Vertx.currentContext();
        Redis c = client;
        if (closed || c == null) return onCaller(caller, Future.failedFuture(unavailable("the store is closed")));
        Future<Response> f;
        try {
            f = c.send(request).timeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return onCaller(caller, f.recover(e -> Future.failedFuture(mapFailure(e))));
    }

    /** Runs a script by its digest, loading it again when Redis lost its script cache. */
    public Future<Response> eval(RedisScript script, List<String> scriptKeys, List<String> args) {
        Context caller = Vertx.currentContext();
        Future<Response> f = rawEval(Command.EVALSHA, script.sha1(), scriptKeys, args).recover(e -> {
            if (e instanceof ErrorType et && et.is("NOSCRIPT")) {
                return rawEval(Command.EVAL, script.source(), scriptKeys, args);
            }
            return Future.failedFuture(e);
        });
        return onCaller(caller, f.recover(e -> Future.failedFuture(mapFailure(e))));
    }

    private Future<Response> rawEval(Command command, String scriptOrSha, List<String> scriptKeys, List<String> args) {
        Redis c = client;
        if (closed || c == null) return Future.failedFuture(unavailable("the store is closed"));
        Request req = Request.cmd(command).arg(scriptOrSha).arg(scriptKeys.size());
        for (String k : scriptKeys) req.arg(k);
        for (String a : args) req.arg(a);
        try {
            return c.send(req).timeout(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static Throwable mapFailure(Throwable e) {
        if (e instanceof LinkboardException) return e;
        if (e instanceof ErrorType et) {
            String msg = et.toString();
            if (et.is("CONFLICT")) {
                String rest = msg.length() > 9 ? msg.substring(9) : "";
                Map<String, Object> details = new LinkedHashMap<>();
                if (rest.matches("\\d+")) details.put("version", Long.parseLong(rest));
                if (rest.equals("id") || rest.equals("username")) details.put("field", rest);
                return new LinkboardException(ErrorCode.CONFLICT, conflictMessage(rest), details);
            }
            if (et.is("DUPLICATE")) {
                String[] parts = msg.split(" ");
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reason", "duplicate-cid");
                details.put("seq", Long.parseLong(parts[1]));
                details.put("index", Integer.parseInt(parts[2]) - 1);
                return new LinkboardException(ErrorCode.CONFLICT, "the board already holds an op with that cid", details);
            }
            if (et.is("NOT_FOUND")) {
                return new LinkboardException(ErrorCode.NOT_FOUND, "not found: " + (msg.length() > 10 ? msg.substring(10) : ""));
            }
            return unavailable("Redis refused: " + msg);
        }
        return unavailable("Redis is unreachable: " + e);
    }

    private static String conflictMessage(String rest) {
        if (rest.matches("\\d+")) return "the board is at version " + rest + ", not the one the append followed";
        if (rest.equals("id") || rest.equals("username")) return "the " + rest + " is taken";
        return rest.isEmpty() ? "conflict" : rest;
    }

    private static LinkboardException unavailable(String message) {
        return new LinkboardException(ErrorCode.UNAVAILABLE, message);
    }

    private static <T> Future<T> onCaller(Future<T> f) {
        return onCaller(Vertx.currentContext(), f);
    }

    /** Completes on {@code caller} (when there is one), as the {@link Store} contract promises. */
    private static <T> Future<T> onCaller(Context caller, Future<T> f) {
        if (caller == null) return f;
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> {
            if (Vertx.currentContext() == caller) {
                p.handle(ar);
            } else {
                caller.runOnContext(v -> p.handle(ar));
            }
        });
        return p.future();
    }

    static String cidKey(String userId, String cid) {
        return userId + '\n' + cid;
    }

    private static List<LoggedOp> decodeOps(Response r) {
        if (r == null) return List.of();
        List<LoggedOp> out = new ArrayList<>(r.size());
        for (Response e : r) out.add(LoggedOpFormat.decode(e.toString()));
        return out;
    }

    private static BoardRecord decodeBoard(String id, Response r) {
        if (r == null || r.size() == 0 || !r.containsKey("unit")) return null;
        return new BoardRecord(id, r.get("title").toString(), r.get("unit").toString(), r.get("createdAt").toLong(),
                r.get("version").toLong(), "1".equals(r.get("archived").toString()));
    }

    private static JsonObject encodeUser(UserRecord u) {
        return new JsonObject().put("id", u.id()).put("username", u.username()).put("name", u.name())
                .put("unit", u.unit()).put("roles", new JsonArray(u.roles())).put("passwordHash", u.passwordHash())
                .put("createdAt", u.createdAt());
    }

    private static UserRecord decodeUser(String json) {
        JsonObject j = new JsonObject(json);
        List<String> roles = new ArrayList<>();
        j.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add((String) r));
        return new UserRecord(j.getString("id"), j.getString("username"), j.getString("name"), j.getString("unit"),
                roles, j.getString("passwordHash"), j.getLong("createdAt", 0L));
    }
}
