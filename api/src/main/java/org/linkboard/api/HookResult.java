package org.linkboard.api;

import java.util.Map;
import java.util.Objects;

/**
 * The answer of a {@link LinkboardModule#validate} hook: accept the operation, or reject it with a
 * contract error code and a message that the client shows to the user.
 *
 * <p>Immutable. A rejection reaches the client as a WebSocket {@code reject} or an HTTP error
 * body with that code (CONTRACT §2), and nothing of the operation is applied.
 */
public final class HookResult {

    private static final HookResult ACCEPT = new HookResult(null, null, Map.of());

    private final ErrorCode code;
    private final String message;
    private final Map<String, Object> details;

    private HookResult(ErrorCode code, String message, Map<String, Object> details) {
        this.code = code;
        this.message = message;
        this.details = details;
    }

    /** The operation may go on (other modules' hooks may still reject it). */
    public static HookResult accept() {
        return ACCEPT;
    }

    /**
     * Rejects with {@code code} (usually {@link ErrorCode#VALIDATION_FAILED},
     * {@link ErrorCode#FORBIDDEN} or {@link ErrorCode#CONFLICT}) and a human message.
     */
    public static HookResult reject(ErrorCode code, String message) {
        return new HookResult(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"), Map.of());
    }

    /** Rejects with {@code code} and a message, naming the offending field in {@code details.field}. */
    public static HookResult reject(ErrorCode code, String message, String field) {
        return new HookResult(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"),
                field == null ? Map.of() : Map.of("field", field));
    }

    /** Shorthand for {@code reject(VALIDATION_FAILED, message, field)}. */
    public static HookResult invalid(String field, String message) {
        return reject(ErrorCode.VALIDATION_FAILED, message, field);
    }

    /** Whether the operation may go on. */
    public boolean accepted() {
        return code == null;
    }

    /** The rejection code, or null when accepted. */
    public ErrorCode code() {
        return code;
    }

    /** The rejection message, or null when accepted. */
    public String message() {
        return message;
    }

    /** Machine-readable facts about the rejection (e.g. {@code field}); empty when accepted. */
    public Map<String, Object> details() {
        return details;
    }

    /** The rejection as the exception the server fails the operation with; null when accepted. */
    public LinkboardException toException() {
        return accepted() ? null : new LinkboardException(code, message, details);
    }

    @Override
    public String toString() {
        return accepted() ? "HookResult[accept]" : "HookResult[" + code + ": " + message + " " + details + "]";
    }
}
