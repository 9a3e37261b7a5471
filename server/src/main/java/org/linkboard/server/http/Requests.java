package org.linkboard.server.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.Principal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reading request bodies and parameters the same way everywhere: typed, with CONTRACT §2 errors. */
public final class Requests {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Requests() {
    }

    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(Principal.CONTEXT_KEY);
        if (p == null) throw new LinkboardException(ErrorCode.UNAUTHENTICATED, "authentication required");
        return p;
    }

    /** The body as a JSON object; BAD_REQUEST when it is missing, malformed or not an object. */
    public static JsonObject body(RoutingContext ctx) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) throw Errors.badRequest("a JSON object body is required");
        try {
            Object v = Json.decodeValue(text);
            if (v instanceof JsonObject o) return o;
        } catch (DecodeException e) {
            throw Errors.badRequest("malformed JSON");
        }
        throw Errors.badRequest("the body must be a JSON object");
    }

    public static String requiredString(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing '" + field + "'", Map.of("field", field));
        if (!(v instanceof String s)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string", Map.of("field", field));
        return s;
    }

    public static String optionalString(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (!(v instanceof String s)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a string", Map.of("field", field));
        return s;
    }

    public static List<String> requiredStrings(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing '" + field + "'", Map.of("field", field));
        if (!(v instanceof JsonArray a)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be an array of strings", Map.of("field", field));
        List<String> out = new ArrayList<>();
        for (Object x : a) {
            if (!(x instanceof String s)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be an array of strings", Map.of("field", field));
            out.add(s);
        }
        return out;
    }

    /** A whole-number query parameter in [min, max], or the default when absent. */
    public static long queryLong(RoutingContext ctx, String name, long dflt, long min, long max) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) throw new LinkboardException(ErrorCode.BAD_REQUEST, name + " must be between " + min + " and " + max, Map.of("field", name));
            return n;
        } catch (NumberFormatException e) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, name + " must be a whole number", Map.of("field", name));
        }
    }

    public static LinkboardException invalid(String field, String message) {
        return LinkboardException.invalidField(field, message);
    }
}
