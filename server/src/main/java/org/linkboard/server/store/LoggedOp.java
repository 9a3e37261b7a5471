package org.linkboard.server.store;

/**
 * One operation of a board's log, in the server's completed form.
 *
 * @param seq    the board's sequence number (1, 2, 3 … without gaps)
 * @param opJson the completed op as JSON text, exactly as broadcast and replayed
 * @param by     the id of the user who made it ({@code system} for module automation)
 * @param cid    the client's id for the op, unique per client; used for dedup
 * @param at     when the server accepted it, epoch milliseconds
 */
public record LoggedOp(long seq, String opJson, String by, String cid, long at) {
}
