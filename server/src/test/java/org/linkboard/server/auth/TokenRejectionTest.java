package org.linkboard.server.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.linkboard.server.testing.Jwts;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.security.KeyPair;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bad tokens of every kind are refused the same way: 401 UNAUTHENTICATED over REST, and over the
 * WebSocket an {@code error} UNAUTHENTICATED followed by close 4401 — whether the token comes in
 * the upgrade header or in an {@code auth} message.
 *
 * <p>The server trusts an external RSA key too, so the HS/RS confusion attack has a public key to
 * abuse. A control case shows a correctly signed hand-made token is accepted, so each rejection
 * is about the one thing wrong with it.
 */
class TokenRejectionTest {

    static final String SECRET = "test-secret-test-secret-test-secret-0123";
    static TestServer server;
    static KeyPair idp;
    static String admin;
    static String editorId;

    enum BadToken {
        FORGED_SIGNATURE, ALG_NONE, HS256_SIGNED_WITH_THE_RSA_PUBLIC_KEY, EXPIRED, DELETED_USER, UNKNOWN_USER,
        PAYLOAD_SWAPPED_AFTER_SIGNING, RS256_WITH_ANOTHER_KEY, NOT_A_JWT
    }

    @BeforeAll
    static void start() {
        idp = Jwts.rsaKeyPair();
        server = TestServer.start(o -> o.jwtSecret(SECRET).jwtPublicKey(Jwts.publicPem(idp.getPublic())));
        admin = server.adminToken();
        server.createUser(admin, "tok-editor", "university", "editor");
        editorId = server.get("/api/me", server.login("tok-editor", "tok-editor-pw")).bodyAsJsonObject().getString("id");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String token(BadToken kind) {
        JsonObject valid = Jwts.claims(editorId, "university", 3600, "editor");
        return switch (kind) {
            case FORGED_SIGNATURE -> Jwts.tamperedSignature(Jwts.hs256(valid, SECRET));
            case ALG_NONE -> Jwts.unsigned(Jwts.claims("u-admin", "university", 3600, "admin"));
            case HS256_SIGNED_WITH_THE_RSA_PUBLIC_KEY -> Jwts.hs256(Jwts.claims("u-admin", "university", 3600, "admin"),
                    Jwts.publicPem(idp.getPublic()));
            case EXPIRED -> Jwts.hs256(Jwts.claims(editorId, "university", -60, "editor"), SECRET);
            case DELETED_USER -> {
                server.createUser(admin, "doomed-" + System.nanoTime(), "university", "editor");
                String doomedId = lastCreatedUserId();
                String t = Jwts.hs256(Jwts.claims(doomedId, "university", 3600, "editor"), SECRET);
                assertEquals(200, server.get("/api/me", t).statusCode(), "valid before the delete");
                assertEquals(204, server.request(HttpMethod.DELETE, "/api/users/" + doomedId, admin, null).statusCode());
                yield t;
            }
            case UNKNOWN_USER -> Jwts.hs256(Jwts.claims("u-nobody", "university", 3600, "admin"), SECRET);
            case PAYLOAD_SWAPPED_AFTER_SIGNING -> Jwts.withClaims(Jwts.hs256(valid, SECRET), Jwts.claims("u-admin", "university", 3600, "admin"));
            case RS256_WITH_ANOTHER_KEY -> Jwts.rs256(Jwts.claims("outsider", "university", 3600, "admin"), Jwts.rsaKeyPair().getPrivate(), null);
            case NOT_A_JWT -> "abc";
        };
    }

    static String lastCreatedUserId() {
        return server.get("/api/users", admin).bodyAsJsonArray().stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("username").startsWith("doomed-"))
                .max(java.util.Comparator.comparing(u -> u.getString("username"))).orElseThrow().getString("id");
    }

    @Test
    void aCorrectlySignedHandMadeTokenIsAccepted() {
        String t = Jwts.hs256(Jwts.claims(editorId, "university", 3600, "editor"), SECRET);
        assertEquals(200, server.get("/api/me", t).statusCode());
        try (WsClient ws = server.connect(t)) {
            assertEquals("tok-editor", ws.next("welcome").getJsonObject("user").getString("username"));
        }
    }

    @ParameterizedTest
    @EnumSource(BadToken.class)
    void restAnswersUnauthenticated(BadToken kind) {
        HttpResponse<Buffer> r = server.get("/api/boards", token(kind));
        assertEquals(401, r.statusCode(), r.bodyAsString());
        assertEquals("UNAUTHENTICATED", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }

    @ParameterizedTest
    @EnumSource(BadToken.class)
    void socketHeaderAuthAnswersUnauthenticatedThenCloses4401(BadToken kind) {
        try (WsClient ws = server.connect(token(kind))) {
            assertEquals("UNAUTHENTICATED", ws.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, ws.awaitClose());
        }
    }

    @ParameterizedTest
    @EnumSource(BadToken.class)
    void socketAuthMessageAnswersUnauthenticatedThenCloses4401(BadToken kind) {
        try (WsClient ws = server.connect(null)) {
            ws.send(new JsonObject().put("type", "auth").put("token", token(kind)));
            assertEquals("UNAUTHENTICATED", ws.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, ws.awaitClose());
        }
    }

    @Test
    void deletingAUserClosesItsOpenSocketsWithUnauthenticatedAnd4401() {
        server.createUser(admin, "live-user", "university", "editor");
        String t = server.login("live-user", "live-user-pw");
        String id = server.get("/api/me", t).bodyAsJsonObject().getString("id");
        try (WsClient a = server.connect(t); WsClient b = server.connect(t); WsClient other = server.connect(admin)) {
            a.next("welcome");
            b.next("welcome");
            other.next("welcome");
            assertEquals(204, server.request(HttpMethod.DELETE, "/api/users/" + id, admin, null).statusCode());
            for (WsClient c : new WsClient[]{a, b}) {
                JsonObject e = c.next("error");
                assertEquals("UNAUTHENTICATED", e.getJsonObject("error").getString("code"));
                assertEquals(4401, c.awaitClose());
            }
            other.send(new JsonObject().put("type", "ping"));
            other.next("pong");
        }
        assertEquals(401, server.get("/api/me", t).statusCode(), "and the REST token stops at once");
    }

    @Test
    void refreshOverTheSocketRefusesABadTokenWith4401() {
        try (WsClient ws = server.connect(admin)) {
            ws.next("welcome");
            ws.send(new JsonObject().put("type", "auth").put("token", token(BadToken.EXPIRED)));
            assertEquals("UNAUTHENTICATED", ws.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, ws.awaitClose());
        }
    }

    @Test
    void refreshOverTheSocketRefusesAnotherUsersToken() {
        try (WsClient ws = server.connect(admin)) {
            ws.next("welcome");
            ws.send(new JsonObject().put("type", "auth").put("token", server.login("tok-editor", "tok-editor-pw")));
            assertEquals("UNAUTHENTICATED", ws.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, ws.awaitClose());
        }
    }
}
