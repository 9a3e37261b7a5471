package org.linkboard.server.store;

/**
 * One audited admin action.
 *
 * @param id          assigned by the store on append (0 when appending); increases with time
 * @param at          epoch milliseconds
 * @param actor       user id of who did it ({@code system} for the server itself, e.g. CLI restore)
 * @param actorName   the user's display name at the time (users may be deleted later)
 * @param action      dotted name, e.g. {@code user.create}, {@code board.archive}, {@code backup}
 * @param target      what it was done to (a user, unit, board, module id …), or null
 * @param detailsJson a JSON object as text with what else matters (never a password), or null
 */
public record AuditRecord(long id, long at, String actor, String actorName, String action, String target, String detailsJson) {
}
