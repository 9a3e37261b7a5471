package org.linkboard.server.attachments;

import io.vertx.core.Future;

import java.nio.file.Path;

/**
 * Where the bytes of attachments live; their metadata is in the {@link org.linkboard.server.store.Store}.
 * The default is a directory under {@code --data-dir}; in cluster mode every node is given the
 * same shared directory ({@code --attachments-dir}). Methods never block the caller's thread.
 */
public interface AttachmentStore {

    /** A directory for partial uploads on the same file system as the files, so {@link #put} is a rename. */
    Path uploadsDir();

    /** Moves an uploaded temporary file in as the attachment {@code id} of the board. */
    Future<Void> put(String boardId, String id, Path uploaded);

    /** The file of an attachment, to be streamed to a client (fails with NOT_FOUND if it is gone). */
    Future<Path> file(String boardId, String id);

    /** Deletes the file; deleting one that is gone succeeds. */
    Future<Void> delete(String boardId, String id);
}
