package org.linkboard.server.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Assumptions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Redis the tests use: {@code LINKBOARD_TEST_REDIS} (CI sets it to redis://127.0.0.1:6379).
 * Without it, Redis tests are skipped with a message saying so. Each test takes its own key prefix
 * and deletes exactly its own keys afterwards; nothing here ever flushes a Redis.
 */
public final class TestRedis {

    public static final String ENV = "LINKBOARD_TEST_REDIS";

    private TestRedis() {
    }

    /** The URI, or the test is skipped (aborted) with a clear message. */
    public static String uriOrSkip() {
        String uri = System.getenv(ENV);
        Assumptions.assumeTrue(uri != null && !uri.isBlank(),
                "Redis tests skipped: set " + ENV + "=redis://127.0.0.1:6379 (a running redis-server) to run them");
        return uri;
    }

    /** A fresh key prefix for one test. */
    public static String freshPrefix() {
        return "lbtest-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Deletes every key under {@code prefix:} (SCAN + UNLINK; never FLUSHALL). */
    public static void deletePrefix(String uri, String prefix) {
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, uri);
            String cursor = "0";
            do {
                Response r = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + ":*")
                        .arg("COUNT").arg(1000)), 30);
                cursor = r.get(0).toString();
                List<String> keys = new ArrayList<>();
                for (Response k : r.get(1)) keys.add(k.toString());
                if (!keys.isEmpty()) {
                    Request del = Request.cmd(Command.UNLINK);
                    keys.forEach(del::arg);
                    Await.result(redis.send(del), 30);
                }
            } while (!"0".equals(cursor));
            Await.result(redis.close(), 10);
        } finally {
            Await.result(vertx.close(), 10);
        }
    }
}
