package org.linkboard.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with a contract error code, a human message and optional details.
 *
 * <p>Errors are values: a failed future or a rejected operation carries one of these, and the
 * server renders it once, the same way for HTTP bodies and WebSocket messages. It carries no
 * stack trace (it is expected, not a bug), so it is cheap to create on hot paths. Immutable and
 * safe to share between threads.
 */
public class LinkboardException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    /** An error with a code and a human message, without details. */
    public LinkboardException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    /** An error with a code, a human message and machine-readable details (e.g. {@code field}). */
    public LinkboardException(ErrorCode code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details == null || details.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A {@link ErrorCode#VALIDATION_FAILED} naming the offending field in {@code details.field}. */
    public static LinkboardException invalidField(String field, String message) {
        return new LinkboardException(ErrorCode.VALIDATION_FAILED, message, Map.of("field", field));
    }

    /** The contract error code. */
    public ErrorCode code() {
        return code;
    }

    /** Extra, machine-readable facts about the error; never null, possibly empty. */
    public Map<String, Object> details() {
        return details;
    }
}
