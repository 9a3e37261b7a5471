package org.linkboard.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of a module route: a status, a body and its content type, and extra headers.
 * Immutable; build with the static factories.
 *
 * <p>A JSON body is a plain JSON value ({@code Map}, {@code List}, {@code String},
 * {@code Number}, {@code Boolean}); a text or binary body is sent as is with its content type
 * (e.g. a CSV export). To answer with a contract error instead, fail the handler's stage with a
 * {@link LinkboardException}.
 */
public final class RouteResponse {

    private final int status;
    private final String contentType;
    private final Object json;
    private final byte[] bytes;
    private final Map<String, String> headers;

    private RouteResponse(int status, String contentType, Object json, byte[] bytes, Map<String, String> headers) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status " + status);
        this.status = status;
        this.contentType = contentType;
        this.json = JsonValues.freeze(json);
        this.bytes = bytes;
        this.headers = Map.copyOf(headers);
    }

    /** 200 with a JSON body. */
    public static RouteResponse json(Object body) {
        return json(200, body);
    }

    /** A status with a JSON body. */
    public static RouteResponse json(int status, Object body) {
        return new RouteResponse(status, "application/json", body, null, Map.of());
    }

    /** 200 with a text body of that content type (e.g. {@code text/csv}); UTF-8. */
    public static RouteResponse text(String contentType, String body) {
        return new RouteResponse(200, contentType + "; charset=utf-8", null,
                body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** 200 with bytes of that content type. */
    public static RouteResponse bytes(String contentType, byte[] body) {
        return new RouteResponse(200, contentType, null, body.clone(), Map.of());
    }

    /** A status without a body, e.g. 204. */
    public static RouteResponse status(int status) {
        return new RouteResponse(status, null, null, null, Map.of());
    }

    /** A copy with one more header (e.g. {@code Content-Disposition} for a download). */
    public RouteResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new RouteResponse(status, contentType, json, bytes, h);
    }

    /** The HTTP status. */
    public int status() { return status; }

    /** The content type, or null when there is no body. */
    public String contentType() { return contentType; }

    /** Whether the body is JSON ({@link #json()}) rather than bytes ({@link #bytes()}). */
    public boolean isJson() { return "application/json".equals(contentType); }

    /** The JSON body; null for a non-JSON or empty body. */
    public Object json() { return json; }

    /** The raw body, or null for a JSON or empty body. */
    public byte[] bytes() { return bytes == null ? null : bytes.clone(); }

    /** Extra response headers. */
    public Map<String, String> headers() { return headers; }
}
