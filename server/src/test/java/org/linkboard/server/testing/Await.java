package org.linkboard.server.testing;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on a future from the JUnit thread, turning a timeout into a test failure. */
public final class Await {

    private Await() {
    }

    public static <T> T result(Future<T> future, long seconds) {
        try {
            return future.await(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + seconds + " s", e);
        }
    }

    /**
     * Polls a condition that has no event to wait on (e.g. an HTTP readiness answer) every 50 ms
     * until it holds; fails after {@code seconds}.
     */
    public static void until(String what, java.util.function.BooleanSupplier condition, long seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("not within " + seconds + " s: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static <T> T result(Future<T> future) {
        return result(future, 30);
    }
}
