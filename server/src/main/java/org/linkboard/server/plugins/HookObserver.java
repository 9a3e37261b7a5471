package org.linkboard.server.plugins;

/**
 * Told about every module hook call (validate, listener, route, start): which module, how long it
 * took, and whether it failed (threw, failed its future, or ran past its budget). The metrics
 * package implements it; the module host does not know about metrics. Called on the thread that
 * completes the call; must be cheap and must not throw.
 */
@FunctionalInterface
public interface HookObserver {

    HookObserver NONE = (moduleId, nanos, failed) -> { };

    void hookCalled(String moduleId, long nanos, boolean failed);
}
