package org.linkboard.server.attachments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.AttachmentRecord;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Files attached to items (docs/collaboration.md):
 * {@code POST/GET /api/boards/{b}/items/{i}/attachments} and
 * {@code GET/DELETE /api/boards/{b}/items/{i}/attachments/{id}}. Reading follows the board's read
 * scope, uploading and deleting its write scope; outside the read scope everything is NOT_FOUND.
 *
 * <p>Uploads are multipart with one file part, streamed to a temporary file in
 * {@link AttachmentStore#uploadsDir()} by {@link StreamedUpload} (never whole in memory) once the
 * caller's scope is checked, counted against the per-file limit; the file's first bytes must match an
 * allowed type and the declared content type; the board's total must stay under its limit.
 * Downloads are streamed from disk with {@code Content-Disposition: attachment} and
 * {@code X-Content-Type-Options: nosniff}.
 */
public final class AttachmentRoutes {

    public static final String UPLOAD_PATH = "/boards/:id/items/:item/attachments";
    /** Room for multipart boundaries and part headers on top of the file itself. */
    private static final long FRAMING_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final Store store;
    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final AttachmentStore files;
    private final long maxFileBytes;
    private final long maxBoardBytes;
    private final LongSupplier clock;

    public AttachmentRoutes(Vertx vertx, Store store, BoardRegistry boards, AccessPolicy access, AttachmentStore files,
                            long maxFileBytes, long maxBoardBytes, LongSupplier clock) {
        this.vertx = vertx;
        this.store = store;
        this.boards = boards;
        this.access = access;
        this.files = files;
        this.maxFileBytes = maxFileBytes;
        this.maxBoardBytes = maxBoardBytes;
        this.clock = clock;
    }

    /** Whether a request is an upload, which the API's general (in-memory) body handler must leave alone. */
    public static boolean isUpload(RoutingContext ctx) {
        return ctx.request().method() == io.vertx.core.http.HttpMethod.POST
                && ctx.request().path().matches("/api/boards/[^/]+/items/[^/]+/attachments/?");
    }

    /**
     * Pauses upload requests before anything asynchronous (authentication) runs, so no byte is
     * lost or buffered before the upload handler decides to read them; must come before the
     * API's general body handler.
     */
    public void mountUploadBody(Router api) {
        api.post(UPLOAD_PATH).handler(ctx -> {
            ctx.request().pause();
            String length = ctx.request().getHeader("Content-Length");
            try {
                if (length != null && Long.parseLong(length.trim()) > maxFileBytes + FRAMING_BYTES) {
                    ctx.response().putHeader("Connection", "close");
                    ctx.fail(tooLarge("a file may have at most " + maxFileBytes + " bytes"));
                    return;
                }
            } catch (NumberFormatException e) {
                // no usable length: the streamed count decides
            }
            ctx.next();
        });
    }

    /** Mounts the routes; after authentication. */
    public void mount(Router api) {
        api.post(UPLOAD_PATH).handler(Responses.async(201, this::upload));
        api.get(UPLOAD_PATH).handler(Responses.async(200, this::list));
        api.get(UPLOAD_PATH + "/:aid").handler(this::download);
        api.delete(UPLOAD_PATH + "/:aid").handler(Responses.async(204, this::delete));
    }

    // ---- handlers -----------------------------------------------------------------------------

    private Future<JsonObject> upload(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        String ct = ctx.request().getHeader("Content-Type");
        // Scope and item are checked while the request is still paused: an outsider's bytes are never stored.
        return item(ctx, true).compose(b -> {
            if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                return Future.failedFuture(new LinkboardException(ErrorCode.BAD_REQUEST, "send the file as multipart/form-data", Map.of("field", "file")));
            }
            return Future.succeededFuture(b);
        }).compose(b -> StreamedUpload.receive(vertx, ctx.request(), files.uploadsDir(), maxFileBytes)
                .compose(up -> accept(b, p, ctx.pathParam("item"), up)
                        .onFailure(e -> vertx.fileSystem().delete(up.file().toString()))));
    }

    private Future<JsonObject> accept(BoardRecord b, Principal p, String item, StreamedUpload.Received up) {
        String name = FileNames.sanitise(up.fileName());
        return vertx.executeBlocking(() -> head(up.file())).compose(head -> {
            String detected = ContentTypes.detect(head, head.length, up.size() <= head.length);
            String type = ContentTypes.resolve(up.contentType(), detected);
            if (type == null) {
                return Future.failedFuture(new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        detected == null ? "this kind of file cannot be attached (allowed: pdf, png, jpeg, gif, zip, docx, xlsx, plain text)"
                                : "the file's content is " + detected + ", not " + up.contentType(), Map.of("field", "contentType")));
            }
            AttachmentRecord record = new AttachmentRecord(UUID.randomUUID().toString(), b.id(), item, name, type,
                    up.size(), p.userId(), clock.getAsLong(), null);
            return store.addAttachment(record, maxBoardBytes).compose(added -> {
                if (!added) return Future.failedFuture(tooLarge("the board's attachments would exceed " + maxBoardBytes + " bytes"));
                return files.put(b.id(), record.id(), up.file())
                        .recover(e -> store.deleteAttachment(b.id(), record.id()).transform(ar -> Future.failedFuture(e)))
                        .map(v -> toJson(record));
            });
        });
    }

    private Future<JsonArray> list(RoutingContext ctx) {
        return item(ctx, false).compose(b -> store.listAttachments(b.id(), ctx.pathParam("item"))).map(list -> {
            JsonArray out = new JsonArray();
            list.forEach(a -> out.add(toJson(a)));
            return out;
        });
    }

    private void download(RoutingContext ctx) {
        String aid = ctx.pathParam("aid");
        item(ctx, false).compose(b -> store.getAttachment(b.id(), aid)).compose(a -> {
            if (a == null || !a.item().equals(ctx.pathParam("item"))) return Future.failedFuture(Errors.notFound("attachment " + aid + " not found"));
            return files.file(a.board(), a.id()).map(path -> {
                ctx.response()
                        .putHeader("Content-Type", a.contentType())
                        .putHeader("Content-Disposition", "attachment; filename=\"" + FileNames.ascii(a.name()) + "\"; filename*=UTF-8''"
                                + URLEncoder.encode(a.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("Content-Security-Policy", "sandbox")
                        .putHeader("Cache-Control", "private, no-store");
                return path;
            });
        }).compose(path -> ctx.response().sendFile(path.toString())).onFailure(e -> {
            if (!ctx.response().headWritten()) ctx.fail(e);
            else ctx.response().reset();
        });
    }

    private Future<Void> delete(RoutingContext ctx) {
        String aid = ctx.pathParam("aid");
        return item(ctx, true).compose(b -> store.getAttachment(b.id(), aid).compose(a -> {
            if (a == null || !a.item().equals(ctx.pathParam("item"))) return Future.failedFuture(Errors.notFound("attachment " + aid + " not found"));
            return store.deleteAttachment(b.id(), aid).compose(v -> files.delete(b.id(), aid));
        }));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The board, if the caller may read it (and write it, when asked) and the item exists on it. */
    private Future<BoardRecord> item(RoutingContext ctx, boolean write) {
        Principal p = Requests.principal(ctx);
        String boardId = ctx.pathParam("id");
        String item = ctx.pathParam("item");
        return store.getBoard(boardId).compose(b -> {
            if (b == null || b.archived() || !access.canRead(p, b.unit())) {
                return Future.failedFuture(Errors.notFound("board " + boardId + " not found"));
            }
            if (write && !access.canWrite(p, b.unit())) {
                return Future.failedFuture(Errors.forbidden("you may not edit boards of unit " + b.unit()));
            }
            return boards.actor(b.id()).compose(a -> a.read(state -> state.item(item) != null)).compose(exists -> exists
                    ? Future.succeededFuture(b) : Future.failedFuture(Errors.notFound("no item '" + item + "' on this board")));
        });
    }

    private static byte[] head(Path file) throws java.io.IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ContentTypes.SAMPLE);
        }
    }

    private static LinkboardException tooLarge(String message) {
        return new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, message);
    }

    public static JsonObject toJson(AttachmentRecord a) {
        return new JsonObject().put("id", a.id()).put("board", a.board()).put("item", a.item()).put("name", a.name())
                .put("contentType", a.contentType()).put("size", a.size()).put("by", a.by())
                .put("at", Instant.ofEpochMilli(a.at()).toString());
    }
}
