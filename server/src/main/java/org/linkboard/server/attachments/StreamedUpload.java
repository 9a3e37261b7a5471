package org.linkboard.server.attachments;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Receives the one file part of a {@code multipart/form-data} request straight to a temporary
 * file, with back-pressure (the socket is paused while the disk catches up), so an upload never
 * sits whole in memory; counts its bytes and stops at the limit.
 *
 * <p>The request must have been paused before any asynchronous step (authentication) so no byte
 * is lost; {@link #receive} resumes it. Runs on the request's event loop. On failure the partial
 * file is deleted.
 */
final class StreamedUpload {

    /** What arrived: the temporary file, and the part's file name and declared content type. */
    record Received(Path file, String fileName, String contentType, long size) {
    }

    private StreamedUpload() {
    }

    static Future<Received> receive(Vertx vertx, HttpServerRequest req, Path dir, long maxBytes) {
        Promise<Received> promise = Promise.promise();
        Path tmp = dir.resolve(UUID.randomUUID() + ".part");
        long[] size = {0};
        boolean[] seen = {false};
        Received[] result = {null};
        AsyncFile[] open = {null};
        Future<?>[] fileDone = {Future.succeededFuture()};
        boolean[] closed = {false};
        Runnable cleanup = () -> {
            if (open[0] != null && !closed[0]) {
                closed[0] = true;
                open[0].close().onComplete(ar -> vertx.fileSystem().delete(tmp.toString()));
            } else {
                vertx.fileSystem().delete(tmp.toString());
            }
        };
        req.setExpectMultipart(true);
        req.exceptionHandler(e -> {
            if (promise.tryFail(e)) cleanup.run();
        });
        req.uploadHandler(up -> {
            if (seen[0]) {
                up.handler(b -> { });
                promise.tryFail(new LinkboardException(ErrorCode.BAD_REQUEST, "send exactly one file", Map.of("field", "file")));
                return;
            }
            seen[0] = true;
            up.pause();
            Promise<Void> written = Promise.promise();
            fileDone[0] = written.future();
            vertx.fileSystem().open(tmp.toString(), new OpenOptions().setCreateNew(true).setWrite(true)).onComplete(ar -> {
                if (ar.failed()) {
                    promise.tryFail(ar.cause());
                    written.tryFail(ar.cause());
                    up.handler(b -> { });
                    up.resume();
                    return;
                }
                AsyncFile file = ar.result();
                open[0] = file;
                stream(up, file, size, maxBytes, promise, written, closed);
                up.resume();
            });
            result[0] = new Received(tmp, up.filename(), up.contentType(), 0);
        });
        req.endHandler(v -> fileDone[0].onComplete(ar -> {
            if (promise.future().isComplete()) {
                if (promise.future().failed()) cleanup.run();
                return;
            }
            if (ar.failed()) {
                promise.tryFail(ar.cause());
                cleanup.run();
            } else if (result[0] == null) {
                promise.tryFail(new LinkboardException(ErrorCode.BAD_REQUEST, "send one file as a multipart/form-data part", Map.of("field", "file")));
            } else {
                Received r = result[0];
                promise.tryComplete(new Received(r.file(), r.fileName(), r.contentType(), size[0]));
            }
        }));
        req.resume();
        return promise.future();
    }

    private static void stream(HttpServerFileUpload up, AsyncFile file, long[] size, long maxBytes, Promise<Received> promise,
                               Promise<Void> written, boolean[] closed) {
        up.handler(buf -> {
            if (promise.future().isComplete()) return; // over the limit: the rest is read and dropped
            size[0] += buf.length();
            if (size[0] > maxBytes) {
                promise.tryFail(new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, "a file may have at most " + maxBytes + " bytes"));
                return;
            }
            file.write(buf);
            if (file.writeQueueFull()) {
                up.pause();
                file.drainHandler(v -> up.resume());
            }
        });
        up.exceptionHandler(written::tryFail);
        up.endHandler(v -> {
            if (closed[0]) {
                written.tryComplete();
                return;
            }
            closed[0] = true;
            file.close().onComplete(written);
        });
    }
}
