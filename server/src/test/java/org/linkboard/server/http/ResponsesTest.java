package org.linkboard.server.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.Errors;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How answers are written: where a large one is encoded, and that it arrives whole either way. */
class ResponsesTest {

    Vertx vertx;
    HttpServer server;
    // The JDK client: Vert.x 5.0.7's HttpClient now and then never completes a request in tests.
    final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final AtomicReference<String> encodedOn = new AtomicReference<>();

    /** A body that notes the thread it is encoded on. */
    JsonObject recordingBody() {
        return new JsonObject() {
            @Override
            public String encode() {
                encodedOn.set(Thread.currentThread().getName() + (Context.isOnEventLoopThread() ? " (event loop)" : ""));
                return super.encode();
            }
        }.put("items", new JsonObject().put("a", new JsonObject().put("title", "A")));
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/large").handler(Responses.asyncLarge(200, ctx -> Future.succeededFuture(recordingBody())));
        router.get("/small").handler(Responses.async(200, ctx -> Future.succeededFuture(recordingBody())));
        router.get("/large-failed").handler(Responses.asyncLarge(200, ctx -> Future.failedFuture(Errors.notFound("board b not found"))));
        router.route().failureHandler(Responses::failure);
        server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    HttpResponse<String> get(String path) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLargeAnswerIsEncodedOffTheEventLoop() throws Exception {
        HttpResponse<String> r = get("/large");
        assertEquals(200, r.statusCode());
        assertEquals("A", new JsonObject(r.body()).getJsonObject("items").getJsonObject("a").getString("title"));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertNotNull(encodedOn.get());
        assertTrue(!encodedOn.get().endsWith("(event loop)"), "encoded on " + encodedOn.get());
    }

    @Test
    void aSmallAnswerIsEncodedWhereItIsAnswered() throws Exception {
        HttpResponse<String> r = get("/small");
        assertEquals(200, r.statusCode());
        assertEquals("A", new JsonObject(r.body()).getJsonObject("items").getJsonObject("a").getString("title"));
        assertTrue(encodedOn.get().endsWith("(event loop)"), "encoded on " + encodedOn.get());
    }

    @Test
    void aLargeAnswerThatFailsIsAnErrorInTheUsualShape() throws Exception {
        HttpResponse<String> r = get("/large-failed");
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", new JsonObject(r.body()).getJsonObject("error").getString("code"));
    }
}
