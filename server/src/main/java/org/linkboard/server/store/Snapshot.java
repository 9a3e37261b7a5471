package org.linkboard.server.store;

/**
 * A board's items at a version, as the JSON text of the {@code items} object of
 * {@code GET /api/boards/{id}/snapshot}.
 */
public record Snapshot(long version, String itemsJson) {
}
