package org.linkboard.server.store;

/**
 * A board as stored. {@code version} is the seq of the last appended op (0 for a new board);
 * the store advances it with every {@link Store#append}.
 */
public record BoardRecord(String id, String title, String unit, long createdAt, long version, boolean archived) {

    public BoardRecord withVersion(long v) {
        return new BoardRecord(id, title, unit, createdAt, v, archived);
    }
}
