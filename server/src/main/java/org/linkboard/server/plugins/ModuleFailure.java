package org.linkboard.server.plugins;

import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.Map;

/**
 * An INTERNAL failure caused by module code (an exception or a timeout), as opposed to a
 * {@link LinkboardException} the module raised on purpose. Carries the technical reason for the
 * module list and the log; the client only sees the message with the incident id.
 */
final class ModuleFailure extends LinkboardException {

    private final String reason;
    private final boolean timeout;

    ModuleFailure(String moduleId, String hook, String incident, String reason, boolean timeout) {
        super(ErrorCode.INTERNAL, "module " + moduleId + " failed in " + hook + " (incident " + incident + ")",
                Map.of("module", moduleId, "incident", incident));
        this.reason = reason;
        this.timeout = timeout;
    }

    /** What went wrong, e.g. {@code threw java.lang.IllegalStateException: boom}. */
    String reason() {
        return reason;
    }

    boolean timeout() {
        return timeout;
    }
}
