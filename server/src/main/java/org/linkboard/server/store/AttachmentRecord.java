package org.linkboard.server.store;

/**
 * A file attached to an item of a board. {@code removedAt} is when its item was deleted (epoch
 * ms), null while the item exists: files of removed items are kept for a retention period so
 * undo can bring them back, then deleted (docs/collaboration.md).
 */
public record AttachmentRecord(String id, String board, String item, String name, String contentType, long size,
                               String by, long at, Long removedAt) {
}
