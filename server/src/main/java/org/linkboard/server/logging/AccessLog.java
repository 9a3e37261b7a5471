package org.linkboard.server.logging;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.server.metrics.Metrics;

import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * First handler of every HTTP request: gives it a request id (the client's {@code X-Request-Id}
 * when it sent a sane one, else a fresh one), echoes it in the response, counts the request, and
 * writes one access-log line when it ends: at INFO with {@code --access-log}, else at FINE.
 *
 * <p>The line holds method, path (never the query string: {@code /metrics?token=…} must not
 * reach the log), status, duration, bytes and the request id; never headers or bodies, so no
 * token or password. Runs on the event loop.
 */
public final class AccessLog implements Handler<RoutingContext> {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** Key of the request id in the RoutingContext, for handlers that log. */
    public static final String CONTEXT_KEY = "linkboard.requestId";

    private static final Logger LOG = Logger.getLogger("org.linkboard.server.access");

    private final Level level;
    private final Metrics metrics;

    public AccessLog(boolean enabled, Metrics metrics) {
        this.level = enabled ? Level.INFO : Level.FINE;
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String given = ctx.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && given.length() <= 64 && given.matches("[A-Za-z0-9._-]+") ? given : newId();
        ctx.put(CONTEXT_KEY, id);
        ctx.response().putHeader(REQUEST_ID_HEADER, id);
        long start = System.nanoTime();
        ctx.addEndHandler(ar -> {
            int status = ctx.response().getStatusCode();
            if (metrics != null) metrics.httpRequest(status);
            if (LOG.isLoggable(level)) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                LOG.log(level, "request " + id + " " + ctx.request().method() + " " + ctx.request().path() + " " + status
                        + " " + ms + "ms " + ctx.response().bytesWritten() + "B");
            }
        });
        ctx.next();
    }

    private static String newId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
