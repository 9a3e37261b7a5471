package org.linkboard.bench.client;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketConnectOptions;
import org.linkboard.bench.measure.ServerTimings;

import java.util.Optional;

/**
 * What the generator drives: a Linkboard server (or cluster) or the relay ceiling. The same clients,
 * pacing and measurement run against both; only how a room is made and entered differs.
 *
 * <p>Methods are called from the orchestrating thread or an event loop; implementations keep no
 * per-call mutable state beyond what they document.
 */
public interface Target {
    /** "linkboard" or "relay", as printed in reports. */
    String name();

    /**
     * True when the target sequences ops (Linkboard: {@code join}/{@code joined}, {@code ack}, per-board
     * {@code seq}); false for the relay, which only forwards frames.
     */
    boolean sequenced();

    /** Makes a fresh room (a board) and returns its id. */
    Future<String> createRoom(String title);

    /** Where and how client {@code clientIndex} connects to enter {@code room}'s socket endpoint. */
    WebSocketConnectOptions connectOptions(String room, int clientIndex);

    /**
     * The server's own timings so far (see {@link ServerTimings}), summed over its nodes; empty for
     * a target that keeps none (the relay) or when they cannot be read (say, a token that is not
     * an admin's). Blocks for an HTTP round trip per node: the orchestrating thread only.
     */
    default Optional<ServerTimings> serverTimings() {
        return Optional.empty();
    }
}
