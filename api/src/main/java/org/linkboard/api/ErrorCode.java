package org.linkboard.api;

/**
 * The error codes of the external contract (CONTRACT §2), each with its HTTP status.
 *
 * <p>The same codes appear in HTTP error bodies, in WebSocket {@code error} and {@code reject}
 * messages, and in {@link HookResult#reject(ErrorCode, String)} from a module's validation hook.
 * Immutable; safe from any thread.
 */
public enum ErrorCode {
    BAD_REQUEST(400),
    /** WebSocket only: malformed JSON, a non-object, a missing or unknown {@code type}. */
    BAD_MESSAGE(400),
    VALIDATION_FAILED(422),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    ID_TAKEN(409),
    LINK_CYCLE(409),
    MODULE_DISABLED(403),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status this code is answered with. */
    public int httpStatus() {
        return httpStatus;
    }
}
