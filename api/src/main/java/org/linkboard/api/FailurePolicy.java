package org.linkboard.api;

/**
 * What the server does with an operation when a module's {@link LinkboardModule#validate} hook
 * throws, returns too late, or cannot run because the module just failed.
 */
public enum FailurePolicy {
    /**
     * The operation is rejected with {@link ErrorCode#INTERNAL}; nothing is applied. The default:
     * a module whose rules cannot be checked must not let unchecked data in.
     */
    FAIL_CLOSED,
    /**
     * The operation goes on as if the hook had accepted it. For advisory modules whose rules are a
     * convenience, where availability matters more than the rule.
     */
    FAIL_OPEN
}
