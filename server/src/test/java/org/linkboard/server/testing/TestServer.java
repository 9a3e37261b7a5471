package org.linkboard.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.linkboard.server.LinkboardServer;
import org.linkboard.server.config.ServerOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Linkboard server in the test's JVM, on port 0 with a temporary data dir, plus a small
 * HTTP client speaking to it. Close it to stop the server and delete the data.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123";

    private final Path dataDir;
    private final LinkboardServer server;
    private final Vertx clientVertx;
    private final WebClient http;

    private TestServer(Path dataDir, ServerOptions options) {
        this.dataDir = dataDir;
        this.server = new LinkboardServer(options);
        Await.result(this.server.start(), 60);
        this.clientVertx = Vertx.vertx();
        this.http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    }

    public static TestServer start() {
        return start(o -> { });
    }

    public static TestServer start(Consumer<ServerOptions> customise) {
        try {
            Path dir = Files.createTempDirectory("linkboard-test");
            return start(dir, customise);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts on an existing data dir (restart tests). */
    public static TestServer start(Path dataDir, Consumer<ServerOptions> customise) {
        // A plugins dir of its own (empty unless a test uploads or copies a jar): the default,
        // server/target/plugins, holds whatever plugin jars the last build left there, and a test's
        // outcome must not depend on that (e.g. --demo adds module items when modules run).
        ServerOptions options = new ServerOptions().port(0).host("127.0.0.1").dataDir(dataDir)
                .pluginsDir(dataDir.resolve("plugins"))
                .adminPassword(ADMIN_PASSWORD).jwtSecret(JWT_SECRET);
        customise.accept(options);
        return new TestServer(dataDir, options);
    }

    public LinkboardServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Vertx clientVertx() {
        return clientVertx;
    }

    /** Logs in and answers the token. */
    public String login(String username, String password) {
        HttpResponse<Buffer> r = request(HttpMethod.POST, "/api/auth/login", null,
                new JsonObject().put("username", username).put("password", password));
        if (r.statusCode() != 200) throw new AssertionError("login of " + username + " failed: " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("token");
    }

    public String adminToken() {
        return login("admin", ADMIN_PASSWORD);
    }

    public HttpResponse<Buffer> request(HttpMethod method, String path, String token, Object body) {
        var req = http.request(method, path);
        if (token != null) req.putHeader("Authorization", "Bearer " + token);
        var f = body == null ? req.send()
                : body instanceof Buffer b ? req.putHeader("Content-Type", "application/json").sendBuffer(b)
                : body instanceof String s ? req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(s))
                : req.sendJsonObject((JsonObject) body);
        return Await.result(f, 30);
    }

    public HttpResponse<Buffer> get(String path, String token) {
        return request(HttpMethod.GET, path, token, null);
    }

    public HttpResponse<Buffer> post(String path, String token, Object body) {
        return request(HttpMethod.POST, path, token, body);
    }

    /** Creates a board and answers its id. */
    public String createBoard(String token, String title, String unit) {
        HttpResponse<Buffer> r = post("/api/boards", token, new JsonObject().put("title", title).put("unit", unit));
        if (r.statusCode() != 201) throw new AssertionError("board creation failed: " + r.statusCode() + " " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    /** Creates a user with a password equal to its username. */
    public void createUser(String adminToken, String username, String unit, String... roles) {
        JsonObject body = new JsonObject().put("username", username).put("password", username + "-pw").put("name", username)
                .put("unit", unit).put("roles", new io.vertx.core.json.JsonArray(java.util.List.of(roles)));
        HttpResponse<Buffer> r = post("/api/users", adminToken, body);
        if (r.statusCode() != 201) throw new AssertionError("user creation failed: " + r.statusCode() + " " + r.bodyAsString());
    }

    public void createUnit(String adminToken, String id, String kind, String parent) {
        HttpResponse<Buffer> r = post("/api/units", adminToken, new JsonObject().put("id", id).put("name", id).put("kind", kind).put("parent", parent));
        if (r.statusCode() != 201) throw new AssertionError("unit creation failed: " + r.statusCode() + " " + r.bodyAsString());
    }

    public WsClient connect(String token) {
        return WsClient.connect(clientVertx, port(), token);
    }

    /** Stops the server but keeps the data dir (for restart tests). */
    public void stopKeepingData() {
        http.close();
        Await.result(server.stop(), 30);
        Await.result(clientVertx.close(), 10);
    }

    @Override
    public void close() {
        stopKeepingData();
        deleteRecursively(dataDir);
    }

    public static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: temp files.
        }
    }
}
