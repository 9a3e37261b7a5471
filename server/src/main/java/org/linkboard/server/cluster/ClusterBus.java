package org.linkboard.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.store.LoggedOp;

import java.util.List;

/**
 * How the nodes of a cluster tell each other what happened: ops another node appended (so every
 * node's board replicas follow the one seq order), and small messages by topic (presence, frames
 * such as rollups, directory and module changes). In embedded mode it is {@link #NONE}: nothing is
 * sent, nothing arrives, and the board actor stays on its single-node fast path.
 *
 * <p>Delivery is at most once and in publish order per publisher; a missed op shows up as a seq
 * gap and is read from the store, and after every (re)connection of the subscriber the
 * {@link Listener#resync()} tells everyone to re-read what they may have missed. Messages a node
 * publishes never come back to itself.
 *
 * <p>Topics in use: {@code board} (per-board presence, frames, archive; the board registry),
 * {@code directory} (users or units changed: reload them), {@code modules} (module enablement or
 * settings changed: {@code {"unit","module"}}), {@link #RESYNC_TOPIC}. A new kind of cross-node message is a new topic
 * with {@link #subscribe}; nothing else changes.
 *
 * <p>Threading: {@link #publish} may be called from any thread and never blocks; handlers run on
 * the bus's own context and must hop to theirs.
 */
public interface ClusterBus {

    /**
     * Not a message from another node: its handlers run after every (re)subscription, when this
     * node may have missed messages; caches reload what they hold.
     */
    String RESYNC_TOPIC = "resync";

    /** What the board registry hears: remote ops, and "you may have missed something". */
    interface Listener {
        /** Ops another node appended to a board, consecutive, in seq order. */
        void remoteOps(String boardId, List<LoggedOp> ops);

        /** The subscriber (re)connected: re-read anything that may have been missed. */
        void resync();

        /** A node was not heard of for a while (crashed or partitioned): forget its sessions. */
        default void nodeGone(String nodeId) {
        }
    }

    /** The single-node bus: no other nodes, no messages. */
    ClusterBus NONE = new ClusterBus() {
        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public String nodeId() {
            return "local";
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void listener(Listener listener) {
        }

        @Override
        public void publish(String topic, JsonObject message) {
        }

        @Override
        public void subscribe(String topic, Handler<JsonObject> handler) {
        }

        @Override
        public Future<Void> start() {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    };

    /** False for {@link #NONE}: callers skip cluster work entirely. */
    boolean clustered();

    /** This node's id, unique per process start; stamped on everything it publishes. */
    String nodeId();

    /** Whether the subscriber is connected (otherwise the node may miss ops: not ready). */
    boolean connected();

    /** Sets the one listener for ops and resyncs (the board registry). */
    void listener(Listener listener);

    /** Sends a message to every other node; best effort (lost while Redis is unreachable). */
    void publish(String topic, JsonObject message);

    /** Adds a handler for a topic's messages from other nodes. */
    void subscribe(String topic, Handler<JsonObject> handler);

    Future<Void> start();

    Future<Void> close();
}
