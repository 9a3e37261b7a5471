package org.linkboard.server;

/** WebSocket close codes of CONTRACT §5, in one place. */
public final class CloseCodes {
    /** The server is going away (SIGTERM). */
    public static final short GOING_AWAY = 1001;
    /** A frame over the size limit. */
    public static final short MESSAGE_TOO_BIG = 1009;
    /** No or bad authentication. */
    public static final short UNAUTHENTICATED = 4401;
    /** A client too slow to read its frames. */
    public static final short SLOW_CONSUMER = 4408;
    /** Sustained flooding over the rate limit. */
    public static final short RATE_LIMITED = 4429;

    private CloseCodes() {
    }
}
