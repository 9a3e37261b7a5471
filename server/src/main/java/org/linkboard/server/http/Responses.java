package org.linkboard.server.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;

import java.util.function.Function;
import java.util.function.Supplier;

/** Writing answers, and the one failure handler that renders every error as CONTRACT §2. */
public final class Responses {

    private static final String JSON = "application/json; charset=utf-8";

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(encode(body));
    }

    /**
     * {@link #json}, with the body encoded on a worker: for answers that can run to megabytes (a
     * big board's snapshot or export), whose encoding would hold up every session of this loop.
     */
    public static void jsonOffLoop(RoutingContext ctx, int status, Object body) {
        // To bytes there too: the loop then only hands them to the socket.
        ctx.vertx().executeBlocking(() -> io.vertx.core.buffer.Buffer.buffer(encode(body)), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (!ctx.response().ended()) {
                ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(ar.result());
            }
        });
    }

    private static String encode(Object body) {
        return body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : String.valueOf(body);
    }

    public static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).end();
    }

    /** Runs a handler that answers with a future; sync throws and failed futures reach the failure handler. */
    public static <T> io.vertx.core.Handler<RoutingContext> async(int status, Function<RoutingContext, Future<T>> handler) {
        return answer(status, handler, false);
    }

    /** {@link #async} for answers that may be large: encoded on a worker ({@link #jsonOffLoop}). */
    public static <T> io.vertx.core.Handler<RoutingContext> asyncLarge(int status, Function<RoutingContext, Future<T>> handler) {
        return answer(status, handler, true);
    }

    private static <T> io.vertx.core.Handler<RoutingContext> answer(int status, Function<RoutingContext, Future<T>> handler,
                                                                    boolean offLoop) {
        return ctx -> {
            Future<T> f;
            try {
                f = handler.apply(ctx);
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            f.onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else if (!ctx.response().ended()) {
                    if (status == 204) noContent(ctx);
                    else if (offLoop) jsonOffLoop(ctx, status, ar.result());
                    else json(ctx, status, ar.result());
                }
            });
        };
    }

    /** The failure handler: maps whatever failed to {@code {"error":{code,message,details?}}}. */
    public static void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        LinkboardException e;
        if (t != null) {
            e = Errors.normalize(t);
        } else {
            int status = ctx.statusCode();
            e = switch (status) {
                case 401 -> new LinkboardException(ErrorCode.UNAUTHENTICATED, "authentication required");
                case 403 -> new LinkboardException(ErrorCode.FORBIDDEN, "not allowed");
                case 404 -> new LinkboardException(ErrorCode.NOT_FOUND, "not found");
                case 405 -> new LinkboardException(ErrorCode.BAD_REQUEST, "method not allowed");
                case 413 -> new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, "request body over the limit");
                case 400 -> new LinkboardException(ErrorCode.BAD_REQUEST, "bad request");
                default -> Errors.normalize(new IllegalStateException("HTTP failure " + status));
            };
        }
        if (ctx.response().ended() || ctx.response().closed()) return;
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, e.code().httpStatus(), Errors.body(e));
    }

    public static <T> Future<T> attempt(Supplier<Future<T>> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }
}
