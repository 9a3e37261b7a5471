package org.linkboard.bench.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.linkboard.bench.measure.ServerTimings;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Linkboard server or cluster, spoken to as CONTRACT §3–§5 describe: REST to log in and create
 * boards, {@code /ws} with a bearer token for everything else. With several endpoints (a cluster),
 * clients are spread over them round robin by client index, and boards are created on the first.
 *
 * <p>Thread-safe after construction (immutable).
 */
public final class LinkboardTarget implements Target {
    private final HttpClient http;
    private final List<Endpoint> nodes;
    private final String token;
    private final String unit;
    /** The JDK's client for the blocking scrapes of the orchestrating thread; thread-safe. */
    private final java.net.http.HttpClient scraper = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    public LinkboardTarget(HttpClient http, List<Endpoint> nodes, String token, String unit) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no endpoint");
        }
        this.http = http;
        this.nodes = List.copyOf(nodes);
        this.token = token;
        this.unit = unit;
    }

    /** {@code POST /api/auth/login} on {@code node}; yields the token. */
    public static Future<String> login(HttpClient http, Endpoint node, String username, String password) {
        return post(http, node, "/api/auth/login", null,
                new JsonObject().put("username", username).put("password", password), 200)
                .map(body -> body.getString("token"));
    }

    private static Future<JsonObject> post(HttpClient http, Endpoint node, String uri, String token,
                                           JsonObject body, int expectedStatus) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(node.host())
                .setPort(node.port()).setURI(uri).putHeader("Content-Type", "application/json");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return http.request(options)
                .compose(req -> req.send(body.toBuffer()))
                .compose(resp -> resp.body().compose(b -> resp.statusCode() == expectedStatus
                        ? Future.succeededFuture(new JsonObject(b))
                        : Future.failedFuture("POST " + uri + " -> " + resp.statusCode() + " " + b)));
    }

    @Override
    public String name() {
        return "linkboard";
    }

    @Override
    public boolean sequenced() {
        return true;
    }

    @Override
    public Future<String> createRoom(String title) {
        return post(http, nodes.get(0), "/api/boards", token, new JsonObject().put("title", title).put("unit", unit), 201)
                .map(b -> b.getString("id"));
    }

    @Override
    public WebSocketConnectOptions connectOptions(String room, int clientIndex) {
        Endpoint node = nodes.get(Math.floorMod(clientIndex, nodes.size()));
        return new WebSocketConnectOptions().setHost(node.host()).setPort(node.port()).setURI("/ws")
                .putHeader("Authorization", "Bearer " + token);
    }

    @Override
    public Optional<ServerTimings> serverTimings() {
        ServerTimings all = null;
        for (Endpoint node : nodes) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + node.host() + ":" + node.port() + "/metrics"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
            try {
                HttpResponse<String> response = scraper.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) return Optional.empty();
                ServerTimings one = ServerTimings.parse(response.body());
                all = all == null ? one : all.plus(one);
            } catch (java.io.IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.ofNullable(all);
    }
}
