/**
 * The board engine: items, the six ops, validation and the deterministic apply that every
 * replica runs (CONTRACT §4). Pure Java apart from {@link org.linkboard.server.board.OpCodec}
 * (Vert.x JSON). Flow on the server, per op, on the board's own thread:
 * {@code OpCodec.decode} → {@code BoardState.complete} → {@code OpValidator.validate} (+ hooks,
 * permissions) → log with the next seq → {@code BoardState.apply(op, seq)} → broadcast
 * {@code OpCodec.encode(op)}. See docs/board-model.md.
 */
package org.linkboard.server.board;
