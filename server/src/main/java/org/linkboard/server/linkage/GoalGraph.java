package org.linkboard.server.linkage;

import org.linkboard.server.board.LinkRef;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The goal → goal links of every live board, for cycle checks across boards, plus the links
 * accepted by a gate but not yet seen durable ("reservations").
 *
 * <p>Why reservations: the {@link RollupIndex} learns of a link only once it is durable, but two
 * boards may each accept a link at the same moment that together close a cycle (A→B on one
 * board, B→A on the other). A check and the reservation of the link it allows happen under one
 * lock, so the second check sees the first link. A reservation ends when the index sees the link
 * applied ({@link #release}) or, should the op never commit (store failure), after
 * {@link #RESERVATION_NANOS} — until then it can only cause a refusal, never a cycle.
 *
 * <p>Only goals matter: links can only point at goals, so a cycle consists of goals. Thread-safe
 * (every method synchronised; the work under the lock is a walk over the goal graph, which is
 * small, and only link ops take it). Single process: in cluster mode each node checks against
 * its own view (see docs/linkage.md).
 */
public final class GoalGraph {

    static final long RESERVATION_NANOS = 60_000_000_000L;

    private final Map<LinkRef, List<LinkRef>> ups = new HashMap<>();
    private final Map<LinkRef, Map<LinkRef, Long>> reserved = new HashMap<>();

    /** The links of a goal as the index last saw them durable. */
    synchronized void put(LinkRef goal, List<LinkRef> links) {
        if (links.isEmpty()) ups.remove(goal);
        else ups.put(goal, List.copyOf(links));
    }

    /** The goal is gone (deleted, no longer a goal, board archived). */
    synchronized void remove(LinkRef goal) {
        ups.remove(goal);
    }

    /** The link is now durable and indexed (or was refused): its reservation ends. */
    synchronized void release(LinkRef from, LinkRef to) {
        Map<LinkRef, Long> r = reserved.get(from);
        if (r != null && r.remove(to) != null && r.isEmpty()) reserved.remove(from);
    }

    /**
     * Whether linking {@code from} to {@code to} closes a cycle; when it does not, reserves the
     * link. Links of goals on {@code localBoard} are read through {@code localLinks} (the board
     * actor's state, which runs ahead of the index); the others from this graph.
     *
     * @return true when the link would close a cycle (nothing reserved)
     */
    synchronized boolean reserveUnlessCycle(LinkRef from, LinkRef to, String localBoard,
                                            Function<String, List<LinkRef>> localLinks, long nowNanos) {
        purgeExpired(nowNanos);
        if (from.equals(to)) return true;
        Set<LinkRef> seen = new HashSet<>();
        ArrayDeque<LinkRef> todo = new ArrayDeque<>();
        todo.push(to);
        while (!todo.isEmpty()) {
            LinkRef cur = todo.pop();
            if (!seen.add(cur)) continue;
            if (cur.equals(from)) return true;
            List<LinkRef> next = cur.board().equals(localBoard) ? localLinks.apply(cur.item()) : ups.get(cur);
            if (next != null) next.forEach(todo::push);
            Map<LinkRef, Long> r = reserved.get(cur);
            if (r != null) r.keySet().forEach(todo::push);
        }
        reserved.computeIfAbsent(from, k -> new HashMap<>()).put(to, nowNanos + RESERVATION_NANOS);
        return false;
    }

    private void purgeExpired(long now) {
        for (Iterator<Map<LinkRef, Long>> it = reserved.values().iterator(); it.hasNext(); ) {
            Map<LinkRef, Long> r = it.next();
            r.values().removeIf(expiry -> expiry - now < 0);
            if (r.isEmpty()) it.remove();
        }
    }

    synchronized int reservations() {
        return reserved.values().stream().mapToInt(Map::size).sum();
    }
}
