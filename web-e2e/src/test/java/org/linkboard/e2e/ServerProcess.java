package org.linkboard.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.json.Json;

/**
 * The real server jar ({@code server/target/linkboard.jar}) started as a child process on a free
 * port with a temp data dir and {@code --demo}, plus a small REST client to set up data.
 *
 * <p>Started once per test class; {@link #close()} stops it. The server's output goes to
 * {@code target/server-<name>.log} for diagnosis. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    static final String ADMIN_PASSWORD = "admin-e2e";

    private final Process process;
    private final Path dataDir;
    final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Json json = new Json();

    private ServerProcess(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    static ServerProcess start(String name) throws Exception {
        Path jar = Path.of(System.getProperty("linkboard.jar", "../server/target/linkboard.jar")).toAbsolutePath().normalize();
        Path root = Path.of(System.getProperty("linkboard.root", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar not found at " + jar + ": build the server module first (mvn package)");
        }
        Path dataDir = Files.createTempDirectory("linkboard-e2e-");
        Path log = Path.of("target", "server-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(javaExecutable(), "-jar", jar.toString(),
                "--port", "0", "--data-dir", dataDir.toString(), "--demo", "--admin-password", ADMIN_PASSWORD)
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LINKBOARD_"));
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (!port.isDone() && m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening; see " + log));
        }, "server-output-" + name);
        pump.setDaemon(true);
        pump.start();
        int actual;
        try {
            actual = port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("server did not report its port; see " + log, e);
        }
        return new ServerProcess(p, dataDir, actual);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- REST set-up helpers ----------------------------------------------------------------

    String login(String username, String password) throws Exception {
        Map<String, Object> res = call("POST", "/api/auth/login", null, Map.of("username", username, "password", password));
        return (String) res.get("token");
    }

    @SuppressWarnings("unchecked")
    <T> T call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.toJson(body));
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> res = http.send(b.method(method, pub).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body().isEmpty() ? null : (T) json.toType(res.body(), Object.class);
    }

    /** Creates a board in {@code unit} as {@code token}'s user; returns its id. */
    String createBoard(String token, String title, String unit) throws Exception {
        Map<String, Object> b = call("POST", "/api/boards", token, Map.of("title", title, "unit", unit));
        return (String) b.get("id");
    }

    /** Applies an op through the REST endpoint (CONTRACT §4); returns its seq. */
    long op(String token, String board, Map<String, Object> op) throws Exception {
        Map<String, Object> res = call("POST", "/api/boards/" + board + "/ops", token,
                Map.of("cid", "e2e-" + UUID.randomUUID(), "op", op));
        return ((Number) res.get("seq")).longValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> snapshotItems(String token, String board) throws Exception {
        Map<String, Object> snap = call("GET", "/api/boards/" + board + "/snapshot", token, null);
        return (Map<String, Object>) snap.get("items");
    }

    static Map<String, Object> create(String id, String type, String parent, String pos, Map<String, Object> fields) {
        Map<String, Object> op = new java.util.LinkedHashMap<>();
        op.put("kind", "create");
        op.put("id", id);
        op.put("type", type);
        if (parent != null) op.put("parent", parent);
        if (pos != null) op.put("pos", pos);
        op.put("fields", fields);
        return op;
    }

    static Map<String, Object> link(String id, String board, String item) {
        return Map.of("kind", "link", "id", id, "to", Map.of("board", board, "item", item));
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the server flushes and exits
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (var walk = Files.walk(dataDir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    static List<String> demoPasswords() {
        return List.of("demo");
    }
}
