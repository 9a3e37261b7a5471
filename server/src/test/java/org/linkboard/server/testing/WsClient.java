package org.linkboard.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket test client: connects to {@code /ws}, records every message it receives, and lets a
 * test wait for the next message matching a predicate (no sleeps: it waits on the message).
 */
public final class WsClient implements AutoCloseable {

    private static final long DEFAULT_WAIT_MS = 10_000;

    private final WebSocket ws;
    private final List<JsonObject> received = new ArrayList<>();
    private int cursor;
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private WsClient(WebSocket ws) {
        this.ws = ws;
        ws.textMessageHandler(text -> {
            synchronized (received) {
                received.add(new JsonObject(text));
                received.notifyAll();
            }
        });
        ws.closeHandler(v -> {
            closed.complete(ws.closeStatusCode());
            synchronized (received) {
                received.notifyAll();
            }
        });
    }

    /** Connects with the token in the Authorization header (null: no header). */
    public static WsClient connect(Vertx vertx, int port, String token) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
        if (token != null) options.addHeader("Authorization", "Bearer " + token);
        // Handlers are set before connecting, so no early frame is missed and a server that answers
        // and closes at once (a refused token) is still observed: error message, then close code.
        io.vertx.core.http.ClientWebSocket socket = client.webSocket();
        WsClient c = new WsClient(socket);
        Await.result(socket.connect(options), 10);
        return c;
    }

    public WsClient send(JsonObject message) {
        Await.result(ws.writeTextMessage(message.encode()), 10);
        return this;
    }

    public WsClient sendRaw(String text) {
        Await.result(ws.writeTextMessage(text), 10);
        return this;
    }

    public WebSocket socket() {
        return ws;
    }

    /** The next message (after those already consumed) matching the predicate; fails after 10 s. */
    public JsonObject next(Predicate<JsonObject> match) {
        return next(match, DEFAULT_WAIT_MS);
    }

    public JsonObject next(Predicate<JsonObject> match, long waitMs) {
        long deadline = System.currentTimeMillis() + waitMs;
        synchronized (received) {
            while (true) {
                for (int i = cursor; i < received.size(); i++) {
                    if (match.test(received.get(i))) {
                        JsonObject m = received.get(i);
                        cursor = i + 1;
                        return m;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || (closed.isDone() && cursor >= received.size())) {
                    throw new AssertionError("no matching message within " + waitMs + " ms; received: " + received.subList(Math.max(0, received.size() - 20), received.size())
                            + (closed.isDone() ? " (socket closed with " + closed.getNow(null) + ")" : ""));
                }
                try {
                    received.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    public JsonObject next(String type) {
        return next(m -> type.equals(m.getString("type")));
    }

    /** Waits until at least {@code n} received messages match, in any order; answers them. */
    public List<JsonObject> awaitCount(Predicate<JsonObject> match, int n) {
        long deadline = System.currentTimeMillis() + DEFAULT_WAIT_MS * 3;
        synchronized (received) {
            while (true) {
                List<JsonObject> hits = received.stream().filter(match).toList();
                if (hits.size() >= n) return hits;
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || closed.isDone()) {
                    throw new AssertionError("only " + hits.size() + " of " + n + " matching messages"
                            + (closed.isDone() ? " (socket closed with " + closed.getNow(null) + ")" : ""));
                }
                try {
                    received.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** All messages received so far (a copy). */
    public List<JsonObject> all() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** Waits for the socket to close and answers its close code. */
    public short awaitClose() {
        try {
            Short code = closed.get(15, TimeUnit.SECONDS);
            return code == null ? -1 : code;
        } catch (Exception e) {
            throw new AssertionError("socket did not close: " + e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public JsonObject join(String board) {
        send(new JsonObject().put("type", "join").put("board", board));
        return next(m -> "joined".equals(m.getString("type")) && board.equals(m.getString("board"))
                || "error".equals(m.getString("type")));
    }

    public JsonObject op(String board, String cid, JsonObject op) {
        send(new JsonObject().put("type", "op").put("board", board).put("cid", cid).put("op", op));
        return next(m -> cid.equals(m.getString("cid")) && ("ack".equals(m.getString("type")) || "reject".equals(m.getString("type"))));
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            Await.result(ws.close(), 10);
        }
    }
}
