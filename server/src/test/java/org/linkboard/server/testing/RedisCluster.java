package org.linkboard.server.testing;

import org.linkboard.server.config.ServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Linkboard nodes in this JVM sharing one Redis (the one of {@link TestRedis}, else the test is
 * skipped, or one the test runs itself: {@link #onOwnRedis}) under a fresh key prefix: a cluster
 * for one test. Closing it closes the sockets it
 * opened, the nodes it started and deletes the prefix's keys.
 */
public final class RedisCluster implements AutoCloseable {

    private final String uri;
    private final String prefix;
    private final boolean sharedRedis;
    private final Consumer<ServerOptions> extra;
    private final List<TestServer> nodes = new ArrayList<>();
    private final List<WsClient> sockets = new ArrayList<>();

    public RedisCluster() {
        this(o -> { });
    }

    /** Nodes started with these options on top of the shared Redis ones. */
    public RedisCluster(Consumer<ServerOptions> extra) {
        this(TestRedis.uriOrSkip(), TestRedis.freshPrefix(), true, extra);
    }

    private RedisCluster(String uri, String prefix, boolean sharedRedis, Consumer<ServerOptions> extra) {
        this.uri = uri;
        this.prefix = prefix;
        this.sharedRedis = sharedRedis;
        this.extra = extra;
    }

    /**
     * A cluster on a Redis the test runs itself (and may kill): default prefix, and nothing to
     * delete on close, since that Redis goes away with the test.
     */
    public static RedisCluster onOwnRedis(String uri) {
        return new RedisCluster(uri, "lb", false, o -> { });
    }

    /** Starts one more node of the cluster. */
    public TestServer node() {
        TestServer n = TestServer.start(o -> extra.accept(o.redis(uri).redisPrefix(prefix)));
        nodes.add(n);
        return n;
    }

    /** A WebSocket client on {@code node}, closed with the cluster. */
    public WsClient connect(TestServer node, String token) {
        WsClient c = node.connect(token);
        sockets.add(c);
        return c;
    }

    /** Stops one node now (a node going away); the others and the data in Redis stay. */
    public void stop(TestServer node) {
        nodes.remove(node);
        node.close();
    }

    @Override
    public void close() {
        sockets.forEach(WsClient::close);
        nodes.forEach(TestServer::close);
        if (sharedRedis) TestRedis.deletePrefix(uri, prefix);
    }
}
