package org.linkboard.bench.relay;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ceiling the benchmark compares Linkboard with: the least a WebSocket server must do to let a
 * room of clients see each other's messages. A client connects to {@code /ws?room=R}, gets one
 * {@code {"type":"welcome"}} frame, and every text frame it sends is forwarded verbatim to every
 * other client of room R. No parsing, no auth, no validation, no store, no sequencing, no slow
 * reader policy: whatever Linkboard costs above this is the price of those.
 *
 * <p>Threading: one verticle instance per event loop, all sharing the port (Vert.x balances
 * connections across them); rooms are a concurrent map of copy-on-write lists, and a frame is
 * written to sockets owned by other event loops through Vert.x, which hands the write to the
 * owner's loop.
 *
 * <p>Run as a child process by the bench ({@code java -cp linkboard-bench.jar
 * org.linkboard.bench.relay.RelayServer --port 0 [--loops N]}); prints {@code listening on port N}.
 */
public final class RelayServer extends VerticleBase {
    private static final String WELCOME = "{\"type\":\"welcome\",\"session\":\"relay\"}";

    private final Map<String, List<ServerWebSocket>> rooms;
    private final int port;
    private HttpServer server;

    RelayServer(Map<String, List<ServerWebSocket>> rooms, int port) {
        this.rooms = rooms;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setMaxWebSocketFrameSize(262_144))
                .webSocketHandler(this::accept);
        return server.listen(port);
    }

    private void accept(ServerWebSocket ws) {
        if (!"/ws".equals(ws.path())) {
            ws.close((short) 1008, "path");
            return;
        }
        String query = ws.query();
        String room = query != null && query.startsWith("room=") ? query.substring(5) : "";
        List<ServerWebSocket> members = rooms.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>());
        members.add(ws);
        ws.closeHandler(v -> members.remove(ws));
        // Same write path as Linkboard's sessions: the message bytes are taken once and the same
        // array goes into a final text frame per recipient, so neither side pays a UTF-8
        // re-encoding per recipient and the comparison is about everything else.
        ws.handler(message -> {
            byte[] bytes = message.getBytes();
            for (ServerWebSocket other : members) {
                if (other != ws) {
                    other.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes, true));
                }
            }
        });
        ws.writeTextMessage(WELCOME);
    }

    /** Starts the relay; {@code --port N} (default 0), {@code --loops N} (default: available cores). */
    public static void main(String[] args) {
        int port = 0;
        int loops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        int actual = start(vertx, port, loops).await();
        System.out.println("relay listening on port " + actual + " (transport "
                + (vertx.isNativeTransportEnabled() ? "native" : "nio") + ")");
    }

    /**
     * Deploys {@code loops} instances on {@code port} and returns the bound port. Port 0 becomes -1:
     * Vert.x lets instances that ask for the same negative port share one random port, whereas
     * instances that each ask for 0 would each get their own.
     */
    public static Future<Integer> start(Vertx vertx, int port, int loops) {
        Map<String, List<ServerWebSocket>> rooms = new ConcurrentHashMap<>();
        List<RelayServer> instances = new CopyOnWriteArrayList<>();
        int asked = port == 0 ? -1 : port;
        return vertx.deployVerticle(() -> {
            RelayServer r = new RelayServer(rooms, asked);
            instances.add(r);
            return r;
        }, new DeploymentOptions().setInstances(Math.max(1, loops))).map(id -> instances.get(0).server.actualPort());
    }
}
