package org.linkboard.server.store;

/** A unit of the organisation tree; {@code parent} is null only for the root. */
public record UnitRecord(String id, String name, String kind, String parent) {
}
