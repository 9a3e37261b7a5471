/**
 * Multi-level linkage (CONTRACT §4 link/unlink/rollup, §5 {@code rollup}; docs/linkage.md): items
 * on any board contribute to goals on boards of the same or a higher unit, goals contribute to
 * higher goals, and every goal's rollup is kept current as contributions change.
 *
 * <ul>
 *   <li>{@link org.linkboard.server.linkage.RollupIndex} — pure, single-threaded: the link index
 *       and per-goal aggregates, updated by deltas, with a from-scratch recomputation to check them.</li>
 *   <li>{@link org.linkboard.server.linkage.GoalGraph} — thread-safe goal → goal edges plus
 *       reservations, for cross-board cycle checks made on board actors' threads.</li>
 *   <li>{@link org.linkboard.server.linkage.LinkageGate} — the pre-sequencing check of link ops.</li>
 *   <li>{@link org.linkboard.server.linkage.LinkageService} — the Vert.x glue: rebuilds the index
 *       at start, follows applied ops on the event bus, pushes {@code rollup} messages, decorates
 *       snapshots and answers the linkage view.</li>
 * </ul>
 */
package org.linkboard.server.linkage;
