package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Calls into module code with containment: on the module's own worker pool (never an event loop),
 * within a time budget, and with every exception turned into a logged {@link ErrorCode#INTERNAL}
 * failure that carries an incident id (the same id is in the log line, CONTRACT §2).
 *
 * <p>A {@link LinkboardException} thrown by the module is a deliberate answer (e.g. a route's
 * NOT_FOUND, or a hook rejecting by exception) and passes through unchanged without counting as a
 * failure. Any other exception or a timeout counts; after {@code failureThreshold} failures in a
 * row the module is handed to {@code onTooManyFailures}, which marks it FAILED and stops it. A
 * success resets the count.
 *
 * <p>Thread-safe. The returned future completes on the caller's Vert.x context when there is one.
 */
final class HookRunner {

    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);

    private final int failureThreshold;
    private final BiConsumer<InstalledModule, String> onTooManyFailures;
    private final HookObserver observer;

    HookRunner(int failureThreshold, BiConsumer<InstalledModule, String> onTooManyFailures, HookObserver observer) {
        this.failureThreshold = failureThreshold;
        this.onTooManyFailures = onTooManyFailures;
        this.observer = observer;
    }

    <T> Future<T> call(InstalledModule m, String hook, long budgetMs, Callable<T> call) {
        WorkerExecutor pool = m.executor;
        if (pool == null) {
            return Future.failedFuture(new LinkboardException(ErrorCode.MODULE_DISABLED, "module " + m.id() + " is not running"));
        }
        Future<T> run;
        long started = System.nanoTime();
        try {
            // ordered=false: calls for different boards may run side by side on the module's pool.
            run = pool.executeBlocking(call, false).timeout(budgetMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // The pool was closed between the read above and this call (module stopping).
            run = Future.failedFuture(e);
        }
        return run.transform(ar -> {
            observer.hookCalled(m.id(), System.nanoTime() - started,
                    ar.failed() && !(ar.cause() instanceof LinkboardException));
            if (ar.succeeded()) {
                m.failuresInARow.set(0);
                return Future.succeededFuture(ar.result());
            }
            Throwable cause = ar.cause();
            if (cause instanceof LinkboardException le) {
                m.failuresInARow.set(0);
                return Future.failedFuture(le);
            }
            return Future.failedFuture(failure(m, hook, budgetMs, cause));
        });
    }

    private ModuleFailure failure(InstalledModule m, String hook, long budgetMs, Throwable cause) {
        String incident = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        boolean timedOut = cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout");
        String what = timedOut ? "did not answer within " + budgetMs + " ms" : "threw " + cause;
        int inARow = m.failuresInARow.incrementAndGet();
        if (timedOut) {
            log.warn("module {}: {} {} (incident {}, {} failure(s) in a row)", m.id(), hook, what, incident, inARow);
        } else {
            log.warn("module {}: {} {} (incident {}, {} failure(s) in a row)", m.id(), hook, what, incident, inARow, cause);
        }
        if (inARow == failureThreshold) {
            onTooManyFailures.accept(m, hook + " failed " + inARow + " times in a row; last: " + what);
        }
        return new ModuleFailure(m.id(), hook, incident, what, timedOut);
    }
}
