package org.linkboard.testkit;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.LinkboardServer;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.config.ServerOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Linkboard server in the test's JVM with the given plugin jars, for integration tests of a
 * packaged plugin over HTTP (an {@code *IT} run by {@code mvn verify}): port 0, a temporary data
 * dir and plugins dir, optionally the {@code --demo} organisation (CONTRACT §8: users with password
 * {@code demo}, the bundled modules enabled for {@code xuteli}).
 *
 * <pre>{@code
 * try (LinkboardTestServer s = LinkboardTestServer.start(List.of(Path.of(System.getProperty("plugin.jar"))), true)) {
 *     String token = s.login("xuteli-editor", "demo");
 *     LinkboardTestServer.Response r = s.op("xuteli-exchange", token, Map.of("kind", "create", …));
 *     assertEquals(200, r.status(), r.body());
 * }
 * }</pre>
 *
 * <p>Calls block the test thread (never an event loop) until the server answers; not thread-safe.
 */
public final class LinkboardTestServer implements AutoCloseable {

    /** An HTTP answer: status, body text, content type. */
    public record Response(int status, String body, String contentType) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public JsonArray jsonArray() {
            return new JsonArray(body);
        }

        /** The contract error code of an error answer (CONTRACT §2), or null. */
        public String errorCode() {
            try {
                JsonObject e = json().getJsonObject("error");
                return e == null ? null : e.getString("code");
            } catch (RuntimeException notJson) {
                return null;
            }
        }
    }

    private final Path dir;
    private final LinkboardServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private long cids;

    private LinkboardTestServer(Path dir, LinkboardServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** Copies {@code pluginJars} into a fresh plugins dir and starts a server on them. */
    public static LinkboardTestServer start(List<Path> pluginJars, boolean demo) {
        try {
            Path dir = Files.createTempDirectory("linkboard-it");
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            for (Path jar : pluginJars) {
                if (!Files.isRegularFile(jar)) throw new IllegalStateException("no plugin jar " + jar + " (run mvn verify, which packages it first)");
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
            ServerOptions options = new ServerOptions().port(0).host("127.0.0.1").dataDir(dir.resolve("data"))
                    .pluginsDir(plugins).demo(demo).jwtSecret("integration-test-secret-0123456789abcdef");
            if (!demo) options.adminPassword("admin-secret");
            LinkboardServer server = new LinkboardServer(options);
            server.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            return new LinkboardTestServer(dir, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the server did not start", e);
        }
    }

    /** The running server (its store, boards, module host…). */
    public LinkboardServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** Logs in and answers the token; fails the test when the login is refused. */
    public String login(String username, String password) {
        Response r = request("POST", "/api/auth/login", null, Map.of("username", username, "password", password));
        if (r.status() != 200) throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.body());
        return r.json().getString("token");
    }

    /** An HTTP request; {@code body} is encoded as JSON unless null. */
    public Response request(String method, String path, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.encode(body)));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) {
        return request("GET", path, token, null);
    }

    /** {@code POST /api/boards/{board}/ops} with a fresh cid (CONTRACT §4). */
    public Response op(String board, String token, Map<String, Object> op) {
        return request("POST", "/api/boards/" + board + "/ops", token, Map.of("cid", "it-" + (++cids), "op", op));
    }

    /** The board's items ({@code GET /api/boards/{id}/snapshot}), keyed by id. */
    public JsonObject items(String board, String token) {
        Response r = get("/api/boards/" + board + "/snapshot", token);
        if (r.status() != 200) throw new AssertionError("snapshot of " + board + ": " + r.status() + " " + r.body());
        return r.json().getJsonObject("items");
    }

    /**
     * Waits until the board's items satisfy {@code condition} — e.g. until a module's follow-up has
     * landed — and answers them. Re-reads the snapshot after every op applied to the board, so it
     * waits on events, not on time; bound it with the test's own {@code @Timeout}.
     */
    public JsonObject awaitItems(String board, String token, Predicate<JsonObject> condition) {
        BlockingQueue<Long> applied = new LinkedBlockingQueue<>();
        MessageConsumer<AppliedOps> consumer = server.vertx().eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> {
            for (AppliedOp a : m.body()) {
                if (board.equals(a.board().id())) applied.add(a.seq());
            }
        });
        try {
            consumer.completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            while (true) {
                JsonObject items = items(board, token);
                if (condition.test(items)) return items;
                applied.take();
                applied.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            consumer.unregister();
        }
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop", e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // A temp dir left behind is harmless.
            }
        }
    }
}
