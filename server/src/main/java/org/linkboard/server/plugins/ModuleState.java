package org.linkboard.server.plugins;

/** The state of an installed module as shown by {@code GET /api/modules} (CONTRACT §6). */
public enum ModuleState {
    /** Running: its types accept changes, its hooks, listeners and routes are called. */
    STARTED,
    /** Stopped by an administrator; its items stay readable, changes get MODULE_DISABLED. */
    STOPPED,
    /** Switched off by the operator (PF4J's {@code disabled.txt} in the plugins dir); not started. */
    DISABLED,
    /** Could not be loaded or started, or failed too often; {@code error} says why. */
    FAILED
}
