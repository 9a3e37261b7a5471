package org.linkboard.server.realtime;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.http.WebSocketInternal;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.CloseCodes;
import org.linkboard.server.Errors;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.TokenService;
import org.linkboard.server.board.BoardActor;
import org.linkboard.server.board.BoardSubscriber;
import org.linkboard.server.board.Fanout;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.board.WireFrames;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One WebSocket connection speaking CONTRACT §5: authentication, joined boards, rate limit,
 * presence coalescing and a bounded outbound queue.
 *
 * <p>Threading: inbound messages run on the socket's event loop. {@link #deliver} and
 * {@link #deliverAll} may be called from any thread (board actors' contexts) and hop to that loop,
 * where every outbound frame is written; board actors hand committed batches over on that loop
 * directly ({@link #writer()}). A reader that lets more than the configured bytes pile up is
 * disconnected (4408) instead of slowing the board.
 */
final class Session implements BoardSubscriber {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Session.class.getName());

    /** Presence updates forwarded per session and board at most every this many ms (~20 a second). */
    private static final long PRESENCE_INTERVAL_MS = 50;
    private static final int MAX_PRESENCE_BYTES = 2048;
    private static final long AUTH_DEADLINE_MS = 10_000;

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final ServerWebSocket ws;
    private final String id;
    private final RealtimeEndpoint endpoint;
    private final TokenService tokens;
    private final int ratePerSecond;
    private final int burst;
    private final long queueLimitBytes;
    /**
     * Bytes written since the last join's catch-up ({@link #deliverCatchUp}) while that is still
     * being sent, or -1 when there is none: the slow-reader limit applies to these, not to the
     * catch-up ahead of them. On the socket's loop only.
     */
    private long liveSinceCatchUp = -1;
    private final int frameLimitBytes;
    /** The socket's channel and its loop: frames are written there, straight to Netty (see {@link #write}). */
    private final ChannelHandlerContext chctx;
    private final EventLoop writer;
    /** Write outcomes are not awaited: a failed write means a closing socket, which the close handler covers. */
    private final ChannelPromise noPromise;
    /** Written on the socket's loop only. */
    private boolean slowReported;
    /** While inbound is paused because this client does not read (see holdBackIfCongested); loop only. */
    private io.netty.util.concurrent.ScheduledFuture<?> congestionCheck;
    private static final long CONGESTION_CHECK_MS = 5;

    private volatile Principal principal;
    private volatile TokenService.Verified verified;
    private volatile boolean closed;
    /** Authentication failed: the error is out, the close follows; nothing more is served. */
    private volatile boolean refusing;
    private static final long REFUSAL_GRACE_MS = 100;
    private long authTimer = -1;
    private long expiryTimer = -1;
    private final Map<String, BoardActor> joined = new HashMap<>();
    private final Map<String, PresenceSlot> presence = new HashMap<>();

    private double tokensLeft;
    private long lastRefillNanos;
    private long dropped;
    private long lastRateErrorMs;

    private static final class PresenceSlot {
        long lastSentMs;
        JsonObject pending;
        boolean timerArmed;
    }

    Session(Vertx vertx, ServerWebSocket ws, String id, RealtimeEndpoint endpoint, TokenService tokens,
            int ratePerSecond, int burst, long queueLimitBytes, int frameLimitBytes) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.ws = ws;
        this.id = id;
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.queueLimitBytes = queueLimitBytes;
        this.frameLimitBytes = frameLimitBytes;
        this.tokensLeft = burst;
        this.lastRefillNanos = System.nanoTime();
        this.chctx = ((WebSocketInternal) ws).channelHandlerContext();
        this.writer = chctx.channel().eventLoop();
        this.noPromise = new VoidChannelPromise(chctx.channel(), false);
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    // ---- lifecycle -----------------------------------------------------------------------------------

    void start(Future<TokenService.Verified> headerAuth) {
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> error(null, ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol"));
        ws.closeHandler(v -> onClosed());
        ws.exceptionHandler(e -> {
            // Oversized frames are answered by the codec with 1009; other errors end the socket.
        });
        if (headerAuth != null) {
            headerAuth.onComplete(ar -> {
                if (ar.succeeded()) {
                    authenticated(ar.result());
                } else {
                    failAuth(Errors.normalize(ar.cause()));
                }
            });
        } else {
            authTimer = vertx.setTimer(AUTH_DEADLINE_MS, t -> {
                authTimer = -1;
                if (principal == null) failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "no auth message within 10 s"));
            });
        }
    }

    private void authenticated(TokenService.Verified v) {
        boolean first = principal == null;
        if (!tokens.stillValid(v)) {
            // The user was deleted between the token check and now: closeUser() may have run
            // before this session registered, so refuse here.
            failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "user no longer exists"));
            return;
        }
        verified = v;
        principal = v.principal();
        if (authTimer >= 0) {
            vertx.cancelTimer(authTimer);
            authTimer = -1;
        }
        if (expiryTimer >= 0) vertx.cancelTimer(expiryTimer);
        long ms = Math.max(1, v.expiresAt() * 1000 - System.currentTimeMillis());
        expiryTimer = vertx.setTimer(ms, t -> failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "token expired")));
        endpoint.register(this);
        if (first) {
            JsonObject user = new JsonObject().put("id", principal.userId()).put("username", principal.username())
                    .put("name", principal.name()).put("unit", principal.unit())
                    .put("roles", new io.vertx.core.json.JsonArray(principal.roles().stream().sorted().toList()));
            send(new JsonObject().put("type", "welcome").put("session", id).put("user", user));
        }
    }

    void failAuthFromAnyThread() {
        context.runOnContext(v -> failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "user no longer exists")));
    }

    void failAuth(LinkboardException e) {
        if (closed || refusing) return;
        refusing = true;
        send(new JsonObject().put("type", "error").put("error", Errors.toJson(e)));
        // Closed a moment after the error, not in the same instant: a client still finishing its
        // handshake (a refused header token is answered right away) could lose both otherwise.
        vertx.setTimer(REFUSAL_GRACE_MS, t -> close(CloseCodes.UNAUTHENTICATED, e.getMessage()));
    }

    /** Closes the socket with a code; callable from any thread. */
    Future<Void> close(short code, String reason) {
        if (io.vertx.core.Vertx.currentContext() != context) {
            io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
            context.runOnContext(v -> close(code, reason).onComplete(done));
            return done.future();
        }
        if (closed) return Future.succeededFuture();
        closed = true;
        leaveAll();
        endpoint.unregister(this);
        String r = reason == null ? "" : reason;
        if (r.length() > 100) r = r.substring(0, 100);
        return ws.close(code, r).otherwiseEmpty();
    }

    private void onClosed() {
        closed = true;
        if (authTimer >= 0) vertx.cancelTimer(authTimer);
        if (expiryTimer >= 0) vertx.cancelTimer(expiryTimer);
        leaveAll();
        endpoint.unregister(this);
    }

    private void leaveAll() {
        // Runs on this session's loop; actors take it from there.
        joined.values().forEach(a -> a.leave(this));
        joined.clear();
    }

    // ---- inbound -------------------------------------------------------------------------------------

    private void onText(String text) {
        if (closed || refusing) return;
        if (text.length() > frameLimitBytes
                || (text.length() * 3L > frameLimitBytes && text.getBytes(StandardCharsets.UTF_8).length > frameLimitBytes)) {
            close(CloseCodes.MESSAGE_TOO_BIG, "message over " + frameLimitBytes + " bytes");
            return;
        }
        if (!admit()) return;
        JsonObject m;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(text);
            if (!(parsed instanceof JsonObject o)) {
                error(null, ErrorCode.BAD_MESSAGE, "a message must be a JSON object");
                return;
            }
            m = o;
        } catch (DecodeException e) {
            error(null, ErrorCode.BAD_MESSAGE, "malformed JSON");
            return;
        }
        Object type = m.getValue("type");
        if (!(type instanceof String t)) {
            error(null, ErrorCode.BAD_MESSAGE, "message has no type");
            return;
        }
        if (principal == null && !t.equals("auth")) {
            failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "authenticate first"));
            return;
        }
        if (verified != null && !tokens.stillValid(verified)) {
            // A deleted user's close is on its way (closeUser); serve nothing more meanwhile.
            failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "user no longer exists"));
            return;
        }
        try {
            switch (t) {
                case "auth" -> onAuth(m);
                case "join" -> onJoin(m);
                case "leave" -> onLeave(m);
                case "op" -> onOp(m);
                case "presence" -> onPresence(m);
                case "ping" -> send(new JsonObject().put("type", "pong"));
                default -> error(null, ErrorCode.BAD_MESSAGE, "unknown message type '" + t + "'");
            }
        } catch (LinkboardException e) {
            sendError(m.getValue("board") instanceof String b ? b : null, e);
        } catch (RuntimeException e) {
            sendError(null, Errors.normalize(e));
        }
    }

    /** Token bucket; sustained flooding (a whole burst dropped) closes the socket. */
    private boolean admit() {
        long now = System.nanoTime();
        tokensLeft = Math.min(burst, tokensLeft + (now - lastRefillNanos) * ratePerSecond / 1e9);
        lastRefillNanos = now;
        if (tokensLeft >= 1) {
            tokensLeft -= 1;
            dropped = 0;
            return true;
        }
        dropped++;
        if (dropped >= Math.max(burst, ratePerSecond)) {
            sendError(null, new LinkboardException(ErrorCode.RATE_LIMITED, "too many messages; closing"));
            endpoint.observer().rateLimitClosed();
            LOG.info(() -> "session " + id + ": sustained flooding, closing with 4429");
            close(CloseCodes.RATE_LIMITED, "rate limited");
            return false;
        }
        long nowMs = System.currentTimeMillis();
        if (nowMs - lastRateErrorMs >= 1000) {
            lastRateErrorMs = nowMs;
            sendError(null, new LinkboardException(ErrorCode.RATE_LIMITED,
                    "over " + ratePerSecond + " messages a second; messages are being dropped"));
        }
        return false;
    }

    private void onAuth(JsonObject m) {
        Object token = m.getValue("token");
        if (!(token instanceof String tok)) {
            failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "auth needs a token"));
            return;
        }
        Principal before = principal;
        tokens.verify(tok).onComplete(ar -> {
            if (closed) return;
            if (ar.failed()) {
                failAuth(Errors.normalize(ar.cause()));
            } else if (before != null && !before.userId().equals(ar.result().principal().userId())) {
                failAuth(new LinkboardException(ErrorCode.UNAUTHENTICATED, "a refreshed token must be for the same user"));
            } else {
                authenticated(ar.result());
            }
        });
    }

    private void onJoin(JsonObject m) {
        String board = requireString(m, "board");
        Long since = null;
        if (m.containsKey("since") && m.getValue("since") != null) {
            if (!(m.getValue("since") instanceof Number n) || n.longValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
                throw new LinkboardException(ErrorCode.BAD_REQUEST, "since must be a whole number ≥ 0");
            }
            since = n.longValue();
        }
        Long sinceFinal = since;
        endpoint.boards().actor(board).onComplete(ar -> {
            if (closed) return;
            if (ar.failed()) {
                sendError(board, Errors.normalize(ar.cause()));
                return;
            }
            BoardActor actor = ar.result();
            BoardActor previous = joined.put(board, actor);
            if (previous != null && previous != actor) previous.leave(this);
            actor.join(this, sinceFinal).onSuccess(v -> {
                // Closed while the join was being served (a big board's snapshot takes a while):
                // the leave on close found nothing to leave yet.
                if (closed) {
                    actor.leave(this);
                    return;
                }
                endpoint.joined(this, board);
            }).onFailure(e -> {
                if (joined.get(board) == actor) joined.remove(board);
                sendError(board, Errors.normalize(e));
            });
        });
    }

    private void onLeave(JsonObject m) {
        String board = requireString(m, "board");
        BoardActor actor = joined.remove(board);
        presence.remove(board);
        if (actor != null) actor.leave(this);
    }

    private void onOp(JsonObject m) {
        String board = requireString(m, "board");
        BoardActor actor = joined.get(board);
        if (actor == null) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "join board " + board + " before sending ops");
        }
        Object cidValue = m.getValue("cid");
        if (!(cidValue instanceof String cid) || cid.isEmpty() || cid.length() > 128) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "op needs a cid: a string of 1 to 128 characters");
        }
        Op op;
        try {
            Object raw = m.getValue("op");
            if (!(raw instanceof JsonObject json)) throw new LinkboardException(ErrorCode.BAD_REQUEST, "op must be an object");
            op = OpCodec.decode(json);
        } catch (LinkboardException e) {
            sendReject(board, cid, e);
            return;
        }
        actor.submit(principal, cid, op, this);
        if (actor.saturated()) holdBack();
    }

    private void onPresence(JsonObject m) {
        String board = requireString(m, "board");
        BoardActor actor = joined.get(board);
        if (actor == null) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "join board " + board + " before sending presence");
        }
        Object st = m.getValue("state");
        if (!(st instanceof JsonObject state)) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "presence needs a state object");
        }
        if (state.toBuffer().length() > MAX_PRESENCE_BYTES) {
            throw new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, "presence state is over 2 KiB");
        }
        PresenceSlot slot = presence.computeIfAbsent(board, b -> new PresenceSlot());
        long now = System.currentTimeMillis();
        slot.pending = state;
        if (slot.timerArmed) return;
        long wait = slot.lastSentMs + PRESENCE_INTERVAL_MS - now;
        if (wait <= 0) {
            flushPresence(board, slot, actor);
        } else {
            slot.timerArmed = true;
            vertx.setTimer(wait, t -> {
                slot.timerArmed = false;
                BoardActor current = joined.get(board);
                if (current != null && !closed) flushPresence(board, slot, current);
            });
        }
    }

    private void flushPresence(String board, PresenceSlot slot, BoardActor actor) {
        if (slot.pending == null) return;
        slot.lastSentMs = System.currentTimeMillis();
        actor.presence(this, slot.pending);
        slot.pending = null;
    }

    private static String requireString(JsonObject m, String field) {
        Object v = m.getValue(field);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "message needs '" + field + "' as a non-empty string",
                    Map.of("field", field));
        }
        return s;
    }

    // ---- outbound ------------------------------------------------------------------------------------

    @Override
    public void deliver(byte[] utf8Json) {
        if (closed) return;
        if (writer.inEventLoop()) {
            writeAndFlush(utf8Json);
        } else {
            writer.execute(() -> writeAndFlush(utf8Json));
        }
    }

    private void writeAndFlush(byte[] utf8Json) {
        flushIfWrote(write(utf8Json, null, 0));
    }

    @Override
    public void deliverCatchUp(java.util.List<byte[]> frames) {
        if (closed) return;
        if (!writer.inEventLoop()) {
            writer.execute(() -> deliverCatchUp(frames));
            return;
        }
        // Judged by what was waiting before it, like any frame; the rest of the catch-up follows it
        // unjudged, and from then on only what comes after the catch-up counts.
        if (frames.isEmpty() || !write(frames.get(0), null, 0)) return;
        for (int i = 1; i < frames.size(); i++) {
            chctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frames.get(i))), noPromise);
        }
        liveSinceCatchUp = 0;
        flushIfWrote(true);
    }

    @Override
    public void deliverAll(java.util.List<byte[]> frames) {
        if (closed) return;
        if (!writer.inEventLoop()) {
            writer.execute(() -> deliverAll(frames));
            return;
        }
        boolean wrote = false;
        for (byte[] f : frames) wrote |= write(f, null, 0);
        flushIfWrote(wrote);
    }

    @Override
    public void deliverAll(Fanout batch, WireFrames wire) {
        if (closed) return;
        if (!writer.inEventLoop()) {
            // Shared wire frames belong to the task of the calling loop: encode on ours instead.
            writer.execute(() -> deliverAll(batch, null));
            return;
        }
        boolean wrote = false;
        for (int i = 0, n = batch.size(); i < n; i++) {
            if (batch.isFor(i, this)) wrote |= write(batch.frame(i), wire, i);
        }
        flushIfWrote(wrote);
    }

    private void flushIfWrote(boolean wrote) {
        if (wrote) {
            chctx.flush();
            holdBackIfCongested();
        }
    }

    /**
     * Backpressure on senders. A client that does not read what it is sent does not get to send
     * more: while its socket holds more unsent bytes than Netty's high-water mark (64 KiB), its
     * inbound side is paused, so TCP pushes back on its writes, until it is under the low mark. And
     * while a board it writes to is {@linkplain BoardActor#saturated() saturated} (most readers
     * behind: the machine is short), its ops wait the same way. Under overload writers are thus
     * slowed to what readers take, instead of every reader's backlog growing until it is cut off
     * (4408). On the socket's loop only.
     */
    private void holdBackIfCongested() {
        // Only its own backlog here: this runs after every write, and a board's saturation (a
        // look at all its readers) is checked where this session writes to it, in onOp.
        if (congestionCheck == null && !closed && !chctx.channel().isWritable()) holdBack();
    }

    private void holdBack() {
        if (congestionCheck != null || closed) return;
        ws.pause();
        endpoint.observer().sendersHeldBack();
        congestionCheck = writer.scheduleAtFixedRate(() -> {
            if (closed || !mustHoldBack()) {
                congestionCheck.cancel(false);
                congestionCheck = null;
                if (!closed) ws.resume();
            }
        }, CONGESTION_CHECK_MS, CONGESTION_CHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private boolean mustHoldBack() {
        if (closed) return false;
        if (!chctx.channel().isWritable()) return true;
        for (BoardActor a : joined.values()) {
            if (a.saturated()) return true;
        }
        return false;
    }

    @Override
    public boolean congested() {
        return !chctx.channel().isWritable();
    }

    @Override
    public io.netty.util.concurrent.EventExecutor writer() {
        return writer;
    }

    /**
     * Writes one text frame to the channel without flushing; on the socket's loop only. Frames go
     * to Netty directly rather than through {@code ws.writeFrame}: a batch is flushed once, and no
     * promise or listener is made per frame. Netty's own count of unflushed and unsent bytes is the
     * slow-reader measure, judged by what was already waiting, so one large frame (a big board's
     * snapshot) still goes out. With {@code wire}, the bytes are those of frame {@code index} of
     * its batch, encoded once for every socket of this loop; without, they are encoded here.
     */
    private boolean write(byte[] utf8Json, WireFrames wire, int index) {
        if (closed) return false;
        if (slowReported) {
            // Nothing after a dropped frame, even if the backlog shrinks before the close lands:
            // the reader must never see a gap, only the close that tells it to rejoin with since.
            endpoint.observer().frameDropped();
            return false;
        }
        Channel channel = chctx.channel();
        ChannelOutboundBuffer waiting = channel.unsafe().outboundBuffer();
        if (waiting == null || !channel.isActive()) return false;
        long backlog = waiting.totalPendingWriteBytes();
        if (liveSinceCatchUp >= 0) {
            // A catch-up is at the front of the queue: the reader is behind by what came after it.
            if (backlog <= liveSinceCatchUp) liveSinceCatchUp = -1; else backlog = liveSinceCatchUp;
        }
        if (backlog > queueLimitBytes) {
            endpoint.observer().frameDropped();
            // Report once: frames keep arriving from actors until the close takes effect.
            if (!slowReported) {
                slowReported = true;
                endpoint.slowConsumer(this);
            }
            return false;
        }
        chctx.write(wire != null ? wire.share(index) : new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8Json)), noPromise);
        if (liveSinceCatchUp >= 0) liveSinceCatchUp += utf8Json.length;
        return true;
    }

    @Override
    public void evicted(String boardId) {
        context.runOnContext(v -> joined.remove(boardId));
    }

    String remoteAddress() {
        return ws.remoteAddress() == null ? "?" : ws.remoteAddress().toString();
    }

    /** " (code N)" once the close code is known, else "". */
    String closeDescription() {
        // closeStatusCode() unboxes a null (NPE) until a close frame was seen: ask only when closed.
        if (!ws.isClosed()) return "";
        try {
            return " (code " + ws.closeStatusCode() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    ServerWebSocket socket() {
        return ws;
    }

    private void send(JsonObject m) {
        deliver(m.encode().getBytes(StandardCharsets.UTF_8));
    }

    private void error(String board, ErrorCode code, String message) {
        sendError(board, new LinkboardException(code, message));
    }

    private void sendError(String board, LinkboardException e) {
        JsonObject m = new JsonObject().put("type", "error");
        if (board != null) m.put("board", board);
        send(m.put("error", Errors.toJson(e)));
    }

    private void sendReject(String board, String cid, LinkboardException e) {
        send(new JsonObject().put("type", "reject").put("board", board).put("cid", cid).put("error", Errors.toJson(e)));
    }
}
