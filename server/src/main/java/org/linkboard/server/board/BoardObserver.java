package org.linkboard.server.board;

import org.linkboard.api.ErrorCode;

/**
 * What a board actor reports about its work, for metrics. Installed once on the
 * {@link BoardRegistry} ({@link BoardRegistry#observe}); actors loaded afterwards use it.
 *
 * <p>Called on board actors' event-loop threads, on the hot path of every op: implementations
 * must be thread-safe, must not block and must not allocate per call (increment pre-resolved
 * counters). A throwing observer is a bug; the actor does not guard against it.
 */
public interface BoardObserver {

    /** Observes nothing. */
    BoardObserver NONE = new BoardObserver() {
    };

    /** An op was sequenced and is now durable; {@code nanos} from its submission to that moment. */
    default void accepted(long nanos) {
    }

    /** An op was refused before it got a seq, with that code. */
    default void rejected(ErrorCode code) {
    }

    /** The store made {@code ops} ops durable in one append (group commit). */
    default void committed(int ops) {
    }
}
