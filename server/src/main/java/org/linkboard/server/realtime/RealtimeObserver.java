package org.linkboard.server.realtime;

/**
 * What the WebSocket endpoint reports about its sessions, for metrics. Installed once with
 * {@link RealtimeEndpoint#observe}.
 *
 * <p>Called on sessions' event loops and on board actors' threads (frame drops): implementations
 * must be thread-safe, cheap and non-blocking.
 */
public interface RealtimeObserver {

    /** Observes nothing. */
    RealtimeObserver NONE = new RealtimeObserver() {
    };

    /** A socket authenticated and became a session. */
    default void sessionOpened() {
    }

    /** A session ended, for whatever reason. */
    default void sessionClosed() {
    }

    /** A frame for a session was dropped because its outbound queue was over the limit. */
    default void frameDropped() {
    }

    /** A session that does not keep up reading had its inbound side paused until it does. */
    default void sendersHeldBack() {
    }

    /** A session was closed with 4408 because it read too slowly. */
    default void slowReaderClosed() {
    }

    /** A session was closed with 4429 for sustained flooding. */
    default void rateLimitClosed() {
    }
}
