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

    public static <T> T result(Future<T> future) {
        return result(future, 30);
    }
}
