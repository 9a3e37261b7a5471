package org.linkboard.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A small HTTP client for a server on 127.0.0.1:port (a child process or another node). */
public final class RestClient implements AutoCloseable {

    private final Vertx vertx;
    private final WebClient http;
    private final int port;

    public RestClient(int port) {
        this.port = port;
        this.vertx = Vertx.vertx();
        this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    public Vertx vertx() {
        return vertx;
    }

    public int port() {
        return port;
    }

    public HttpResponse<Buffer> request(HttpMethod method, String path, String token, JsonObject body) {
        var req = http.request(method, path);
        if (token != null) req.putHeader("Authorization", "Bearer " + token);
        return Await.result(body == null ? req.send() : req.sendJsonObject(body));
    }

    public String login(String username, String password) {
        HttpResponse<Buffer> r = request(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("username", username).put("password", password));
        if (r.statusCode() != 200) throw new AssertionError("login failed: " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("token");
    }

    public String createBoard(String token, String title, String unit) {
        HttpResponse<Buffer> r = request(HttpMethod.POST, "/api/boards", token, new JsonObject().put("title", title).put("unit", unit));
        if (r.statusCode() != 201) throw new AssertionError("board creation failed: " + r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }

    public WsClient connect(String token) {
        return WsClient.connect(vertx, port, token);
    }

    @Override
    public void close() {
        http.close();
        Await.result(vertx.close());
    }
}
