package org.linkboard.server.attachments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import org.linkboard.server.Errors;

import java.nio.file.Path;

/**
 * Attachments as files {@code <root>/<board>/<id>}: board ids are {@code [A-Za-z0-9_-]} and
 * attachment ids are generated UUIDs, so no name from a client ever reaches the file system.
 * Uploads land in {@code <root>/.uploads} first. Uses the Vert.x async file system; thread-safe.
 */
public final class DirectoryAttachmentStore implements AttachmentStore {

    private final FileSystem fs;
    private final Path root;

    public DirectoryAttachmentStore(Vertx vertx, Path root) {
        this.fs = vertx.fileSystem();
        this.root = root.toAbsolutePath().normalize();
    }

    /** Creates the directories; call once at start. */
    public Future<Void> open() {
        return fs.mkdirs(uploadsDir().toString());
    }

    @Override
    public Path uploadsDir() {
        return root.resolve(".uploads");
    }

    private Path path(String boardId, String id) {
        Path p = root.resolve(boardId).resolve(id).normalize();
        if (!p.startsWith(root) || p.getNameCount() != root.getNameCount() + 2) {
            throw new IllegalArgumentException("bad attachment path " + boardId + "/" + id);
        }
        return p;
    }

    @Override
    public Future<Void> put(String boardId, String id, Path uploaded) {
        Path target = path(boardId, id);
        return fs.mkdirs(target.getParent().toString()).compose(v -> fs.move(uploaded.toString(), target.toString()));
    }

    @Override
    public Future<Path> file(String boardId, String id) {
        Path p = path(boardId, id);
        return fs.exists(p.toString()).compose(exists -> exists ? Future.succeededFuture(p)
                : Future.failedFuture(Errors.notFound("attachment " + id + " not found")));
    }

    @Override
    public Future<Void> delete(String boardId, String id) {
        Path p = path(boardId, id);
        return fs.exists(p.toString()).compose(exists -> exists ? fs.delete(p.toString()) : Future.succeededFuture());
    }
}
