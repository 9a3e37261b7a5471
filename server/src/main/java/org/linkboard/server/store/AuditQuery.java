package org.linkboard.server.store;

/**
 * A filter over the audit log; null members match everything. Answers are newest first.
 *
 * @param since epoch ms, inclusive
 * @param until epoch ms, exclusive
 */
public record AuditQuery(String actor, String action, Long since, Long until, int limit) {
}
