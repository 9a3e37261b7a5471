package org.linkboard.server;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one mapping from failures to the error objects of CONTRACT §2, shared by HTTP bodies and
 * WebSocket {@code error}/{@code reject} messages. Unexpected failures become INTERNAL with an
 * incident id that is also logged, so a user's report can be matched to the stack trace.
 */
public final class Errors {

    private static final Logger LOG = Logger.getLogger(Errors.class.getName());

    private Errors() {
    }

    /** Turns any failure into a LinkboardException, logging the unexpected ones. */
    public static LinkboardException normalize(Throwable t) {
        if (t instanceof LinkboardException le) return le;
        if (t instanceof DecodeException) {
            return new LinkboardException(ErrorCode.BAD_REQUEST, "malformed JSON");
        }
        if (t instanceof HttpException he) {
            return switch (he.getStatusCode()) {
                case 400 -> new LinkboardException(ErrorCode.BAD_REQUEST, "bad request");
                case 401 -> new LinkboardException(ErrorCode.UNAUTHENTICATED, "authentication required");
                case 403 -> new LinkboardException(ErrorCode.FORBIDDEN, "not allowed");
                case 404 -> new LinkboardException(ErrorCode.NOT_FOUND, "not found");
                case 405 -> new LinkboardException(ErrorCode.BAD_REQUEST, "method not allowed");
                case 413 -> new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
                default -> internal(he);
            };
        }
        if (t instanceof TimeoutException || t instanceof HttpClosedException) {
            return new LinkboardException(ErrorCode.UNAVAILABLE, "the server could not complete the request in time");
        }
        return internal(t);
    }

    private static LinkboardException internal(Throwable t) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "internal error, incident " + incident, t);
        return new LinkboardException(ErrorCode.INTERNAL, "internal error (incident " + incident + ")");
    }

    /** {@code {"code","message","details"?}}. */
    public static JsonObject toJson(LinkboardException e) {
        JsonObject o = new JsonObject().put("code", e.code().name()).put("message", e.getMessage());
        if (!e.details().isEmpty()) {
            o.put("details", new JsonObject(new java.util.LinkedHashMap<>(e.details())));
        }
        return o;
    }

    /** The HTTP body {@code {"error":{…}}}. */
    public static JsonObject body(LinkboardException e) {
        return new JsonObject().put("error", toJson(e));
    }

    public static LinkboardException badRequest(String message) {
        return new LinkboardException(ErrorCode.BAD_REQUEST, message);
    }

    public static LinkboardException notFound(String message) {
        return new LinkboardException(ErrorCode.NOT_FOUND, message);
    }

    public static LinkboardException forbidden(String message) {
        return new LinkboardException(ErrorCode.FORBIDDEN, message);
    }
}
