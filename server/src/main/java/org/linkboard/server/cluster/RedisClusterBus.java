package org.linkboard.server.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.linkboard.server.store.redis.OpAnnouncement;
import org.linkboard.server.store.redis.RedisStore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link ClusterBus} over Redis pub/sub: one channel per prefix ({@code P:cluster}), read by
 * a dedicated subscriber connection of its own client (a subscribed connection can do nothing
 * else), written through the store's command connections. Op announcements are published by the
 * store's append script itself ({@link OpAnnouncement}); everything else is {@code
 * {"t":topic,"n":node,"m":message}}.
 *
 * <p>Liveness: every node publishes a heartbeat every {@link #HEARTBEAT_MS}; its own heartbeat
 * coming back proves the subscriber works (a silent subscriber is reconnected), and a node not
 * heard of for {@link #NODE_TIMEOUT_MS} is reported gone so its presence entries are dropped.
 * The subscriber reconnects with exponential backoff (100 ms to 5 s) for as long as it takes;
 * every successful (re)subscription triggers {@link Listener#resync()}.
 *
 * <p>Threading: all state changes and handler calls happen on the context {@link #start()} ran on.
 */
public final class RedisClusterBus implements ClusterBus {

    private static final Logger LOG = Logger.getLogger(RedisClusterBus.class.getName());
    static final long HEARTBEAT_MS = 2_000;
    static final long NODE_TIMEOUT_MS = 10_000;
    private static final long SILENT_SUBSCRIBER_MS = 3 * HEARTBEAT_MS + 1_000;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Vertx vertx;
    private final RedisStore store;
    private final String channel;
    private final Map<String, List<Handler<JsonObject>>> topics = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile Listener listener = new Listener() {
        @Override
        public void remoteOps(String boardId, List<org.linkboard.server.store.LoggedOp> ops) {
        }

        @Override
        public void resync() {
        }
    };

    private Context context;
    private Redis subscriberClient;
    private RedisConnection subscriber;
    private volatile boolean connected;
    private boolean closed;
    private long backoff = MIN_BACKOFF_MS;
    private volatile long lastReceived;
    private long heartbeatTimer = -1;

    public RedisClusterBus(Vertx vertx, RedisStore store) {
        this.vertx = vertx;
        this.store = store;
        this.channel = store.keys().clusterChannel();
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String nodeId() {
        return store.nodeId();
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void listener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void publish(String topic, JsonObject message) {
        store.announce(topic, message);
    }

    @Override
    public void subscribe(String topic, Handler<JsonObject> handler) {
        topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Connects the subscriber; completes once subscribed (fails when Redis is unreachable). */
    @Override
    public Future<Void> start() {
        context = vertx.getOrCreateContext();
        subscriberClient = Redis.createClient(vertx, RedisStore.redisOptions(store.uri()).setMaxPoolSize(1));
        io.vertx.core.Promise<Void> first = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
            connect(first);
        });
        return first.future();
    }

    @Override
    public Future<Void> close() {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        if (context == null) return Future.succeededFuture();
        context.runOnContext(v -> {
            closed = true;
            connected = false;
            if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer);
            RedisConnection c = subscriber;
            subscriber = null;
            Future<Void> f = c == null ? Future.succeededFuture() : c.close().otherwiseEmpty();
            f.transform(ar -> subscriberClient.close().otherwiseEmpty()).onComplete(ar -> done.complete());
        });
        return done.future();
    }

    private void connect(io.vertx.core.Promise<Void> first) {
        if (closed) return;
        subscriberClient.connect().compose(c -> {
            if (closed) {
                return c.close().transform(ar -> Future.<RedisConnection>failedFuture("closed"));
            }
            subscriber = c;
            c.handler(this::onMessage);
            c.exceptionHandler(e -> lost(c, e));
            c.endHandler(v -> lost(c, null));
            return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(c);
        }).onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded() && subscriber == ar.result() && !closed) {
                boolean again = backoff > MIN_BACKOFF_MS || first == null;
                connected = true;
                backoff = MIN_BACKOFF_MS;
                lastReceived = System.currentTimeMillis();
                if (again) LOG.info("cluster: subscribed to " + channel + " again; resyncing boards");
                if (first != null) first.tryComplete();
                listener.resync();
                List<Handler<JsonObject>> handlers = topics.get(RESYNC_TOPIC);
                if (handlers != null) handlers.forEach(h -> h.handle(new JsonObject()));
            } else if (!closed) {
                if (first != null) {
                    first.tryFail(ar.cause());
                    // A node that cannot subscribe does not start; nothing to retry for.
                    return;
                }
                if (ar.succeeded()) ar.result().close();
                retryLater();
            }
        }));
    }

    private void lost(RedisConnection c, Throwable cause) {
        context.runOnContext(v -> {
            if (c != subscriber || closed) return;
            subscriber = null;
            connected = false;
            LOG.warning("cluster: subscriber connection lost" + (cause == null ? "" : ": " + cause) + "; reconnecting");
            c.close();
            retryLater();
        });
    }

    private void retryLater() {
        long delay = backoff;
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        vertx.setTimer(delay, id -> context.runOnContext(v -> {
            if (!closed && subscriber == null) connect(null);
        }));
    }

    private void heartbeat() {
        if (closed) return;
        long now = System.currentTimeMillis();
        if (connected) {
            publish("hb", new JsonObject());
            if (now - lastReceived > SILENT_SUBSCRIBER_MS && subscriber != null) {
                // Our own heartbeats stopped coming back: the connection is dead without having said so.
                lost(subscriber, new IllegalStateException("no message for " + (now - lastReceived) + " ms"));
            }
            for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
                if (now - e.getValue() > NODE_TIMEOUT_MS && lastSeen.remove(e.getKey(), e.getValue())) {
                    LOG.info("cluster: node " + e.getKey() + " not heard of for " + NODE_TIMEOUT_MS + " ms");
                    listener.nodeGone(e.getKey());
                }
            }
        }
    }

    private void onMessage(Response r) {
        if (r == null || r.size() < 3 || !"message".equals(r.get(0).toString())) return;
        JsonObject m;
        try {
            m = new JsonObject(r.get(2).toString());
        } catch (RuntimeException e) {
            LOG.warning("cluster: unreadable message on " + channel + ": " + e);
            return;
        }
        lastReceived = System.currentTimeMillis();
        String node = m.getString("n");
        if (node == null || node.equals(nodeId())) return;
        lastSeen.put(node, lastReceived);
        String type = m.getString("t");
        try {
            if (OpAnnouncement.TYPE.equals(type)) {
                OpAnnouncement a = OpAnnouncement.decode(m);
                listener.remoteOps(a.boardId(), a.ops());
                return;
            }
            List<Handler<JsonObject>> handlers = topics.get(type);
            if (handlers != null) {
                JsonObject body = m.getJsonObject("m", new JsonObject());
                for (Handler<JsonObject> h : handlers) h.handle(body);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster: handling a '" + type + "' message failed", e);
        }
    }
}
