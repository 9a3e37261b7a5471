package org.linkboard.server.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocketHandshake;
import org.linkboard.server.CloseCodes;
import org.linkboard.server.auth.TokenService;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.config.ServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint {@code /ws} (CONTRACT §5) and the registry of live sessions: accepts
 * upgrades (checking an {@code Authorization} header if present), creates a {@link Session} per
 * socket, and closes sessions when their user is deleted, when they read too slowly, and at
 * shutdown. Thread-safe.
 */
public final class RealtimeEndpoint {

    private static final Logger LOG = Logger.getLogger(RealtimeEndpoint.class.getName());

    /**
     * Local event-bus address where joins are announced (webhooks' {@code member.joined}):
     * a JsonObject {@code {"board","session","user":{"id","name"}}}.
     */
    public static final String JOINED_ADDRESS = "linkboard.board.joined";
    private static final io.vertx.core.eventbus.DeliveryOptions LOCAL = new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true);

    private final Vertx vertx;
    private final BoardRegistry boards;
    private final TokenService tokens;
    private final ServerOptions options;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile RealtimeObserver observer = RealtimeObserver.NONE;

    public RealtimeEndpoint(Vertx vertx, BoardRegistry boards, TokenService tokens, ServerOptions options) {
        this.vertx = vertx;
        this.boards = boards;
        this.tokens = tokens;
        this.options = options;
    }

    /** Installs the handshake and socket handlers on an HTTP server (one per server instance). */
    public void attach(HttpServer server) {
        server.webSocketHandshakeHandler(this::handshake);
        server.webSocketHandler(ws -> {
            Future<TokenService.Verified> headerAuth = null;
            String header = ws.headers().get("Authorization");
            if (header != null) {
                headerAuth = tokens.verify(header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "");
            }
            Session session = new Session(vertx, ws, UUID.randomUUID().toString(), this, tokens,
                    options.wsRatePerSecond(), options.wsBurst(), options.sessionQueueBytes(), options.maxFrameBytes());
            session.start(headerAuth);
        });
    }

    private void handshake(ServerWebSocketHandshake hs) {
        if (stopping) {
            hs.reject(503);
        } else if (!"/ws".equals(hs.path())) {
            hs.reject(404);
        } else {
            hs.accept();
        }
    }

    /** Installs the observer (metrics) of sessions. */
    public void observe(RealtimeObserver observer) {
        this.observer = observer == null ? RealtimeObserver.NONE : observer;
    }

    RealtimeObserver observer() {
        return observer;
    }

    BoardRegistry boards() {
        return boards;
    }

    void register(Session s) {
        if (sessions.put(s.sessionId(), s) == null) {
            observer.sessionOpened();
            // The session id ties these lines to the client's welcome message; never the token.
            LOG.info(() -> "session " + s.sessionId() + " opened by user " + s.principal().userId()
                    + " from " + s.remoteAddress());
        }
    }

    void unregister(Session s) {
        if (sessions.remove(s.sessionId()) != null) {
            observer.sessionClosed();
            LOG.info(() -> "session " + s.sessionId() + " closed" + s.closeDescription());
        }
    }

    void joined(Session s, String boardId) {
        vertx.eventBus().publish(JOINED_ADDRESS, new io.vertx.core.json.JsonObject().put("board", boardId)
                .put("session", s.sessionId()).put("user", s.userRef()), LOCAL);
    }

    void slowConsumer(Session s) {
        observer.slowReaderClosed();
        LOG.info(() -> "closing session " + s.sessionId() + ": over " + options.sessionQueueBytes() + " bytes unread (slow reader)");
        s.close(CloseCodes.SLOW_CONSUMER, "too slow to read; rejoin with since");
    }

    public int openSessions() {
        return sessions.size();
    }

    /**
     * Sends a message to every open, authenticated session of a user (notifications); answers how
     * many sessions it went to. Any thread.
     */
    public int sendToUser(String userId, io.vertx.core.json.JsonObject message) {
        byte[] frame = message.toBuffer().getBytes();
        int n = 0;
        for (Session s : sessions.values()) {
            if (s.principal() != null && userId.equals(s.principal().userId())) {
                s.deliver(frame);
                n++;
            }
        }
        return n;
    }

    /** Ends every socket of a user (deleted user): UNAUTHENTICATED, then close 4401. */
    public void closeUser(String userId) {
        for (Session s : sessions.values()) {
            if (s.principal() != null && userId.equals(s.principal().userId())) {
                s.failAuthFromAnyThread();
            }
        }
    }

    /** Stops accepting upgrades and closes every socket with 1001. */
    public Future<Void> shutdown() {
        stopping = true;
        List<Future<Void>> closing = new ArrayList<>();
        for (Session s : new ArrayList<>(sessions.values())) {
            closing.add(s.close(CloseCodes.GOING_AWAY, "server shutting down"));
        }
        // Clients answer the close frame at once; one that does not is not waited for long.
        return Future.join(closing).timeout(3, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty().mapEmpty();
    }
}
