package org.linkboard.server.store;

/** A name a user gave to a board's version (seq), e.g. "approved by the dean". */
public record NamedVersion(String board, String name, long version, String by, long at) {
}
