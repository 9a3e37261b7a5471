package org.linkboard.server.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Jwts;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issued tokens: claims and lifetime, the generated secret kept across restarts, expiry and refresh on sockets. */
class TokenLifecycleTest {

    static final String SECRET = "test-secret-test-secret-test-secret-0123";

    static JsonObject claimsOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    static JsonObject headerOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    @Test
    void loginIssuesAnHs256TokenWithTheContractClaimsValidTwelveHours() {
        try (TestServer s = TestServer.start()) {
            String admin = s.adminToken();
            s.createUser(admin, "claims-user", "university", "editor", "viewer");
            HttpResponse<Buffer> r = s.post("/api/auth/login", null, new JsonObject().put("username", "claims-user").put("password", "claims-user-pw"));
            JsonObject body = r.bodyAsJsonObject();
            String token = body.getString("token");
            JsonObject claims = claimsOf(token);
            assertEquals("HS256", headerOf(token).getString("alg"));
            assertEquals(body.getJsonObject("user").getString("id"), claims.getString("sub"));
            assertEquals("claims-user", claims.getString("name"));
            assertEquals("university", claims.getString("unit"));
            assertEquals(List.of("editor", "viewer"), claims.getJsonArray("roles").getList().stream().sorted().toList());
            long exp = claims.getLong("exp");
            assertEquals(Instant.ofEpochSecond(exp), Instant.parse(body.getString("expiresAt")), "expiresAt is the token's exp");
            long lifetime = exp - claims.getLong("iat");
            assertEquals(12 * 3600, lifetime);
        }
    }

    @Test
    void generatedSecretIsKeptInTheDataDirSoTokensSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("linkboard-secret");
        String token;
        TestServer first = TestServer.start(dir, o -> o.jwtSecret(null));
        try {
            token = first.adminToken();
            assertEquals(200, first.get("/api/me", token).statusCode());
        } finally {
            first.stopKeepingData();
        }
        try (TestServer again = TestServer.start(dir, o -> o.jwtSecret(null))) {
            assertEquals(200, again.get("/api/me", token).statusCode(), "same secret after restart");
        }
        try (TestServer elsewhere = TestServer.start(o -> o.jwtSecret(null))) {
            assertEquals(401, elsewhere.get("/api/me", token).statusCode(), "another data dir generated another secret");
        }
    }

    @Test
    void rolesAndUnitComeFromTheServersRecordNotFromTheTokenClaims() {
        try (TestServer s = TestServer.start(o -> o.jwtSecret(SECRET))) {
            String admin = s.adminToken();
            s.createUser(admin, "modest", "university", "viewer");
            String id = s.get("/api/me", s.login("modest", "modest-pw")).bodyAsJsonObject().getString("id");
            // Correctly signed (say, an old token, or one minted with a leaked secret for a real id): claims are not trusted.
            String inflated = Jwts.hs256(Jwts.claims(id, "university", 600, "admin"), SECRET);
            assertEquals(List.of("viewer"), s.get("/api/me", inflated).bodyAsJsonObject().getJsonArray("roles").getList());
            assertEquals(403, s.post("/api/boards", inflated, new JsonObject().put("title", "x").put("unit", "university")).statusCode());
        }
    }

    @Test
    void socketIsClosedWhenItsTokenExpiresUnlessRefreshed() {
        try (TestServer s = TestServer.start(o -> o.jwtSecret(SECRET))) {
            String shortLived = Jwts.hs256(Jwts.claims("u-admin", "university", 3, "admin"), SECRET);
            try (WsClient expiring = s.connect(shortLived); WsClient refreshed = s.connect(shortLived)) {
                expiring.next("welcome");
                refreshed.next("welcome");
                refreshed.send(new JsonObject().put("type", "auth").put("token", s.adminToken()));
                JsonObject error = expiring.next("error");
                assertEquals("UNAUTHENTICATED", error.getJsonObject("error").getString("code"));
                assertEquals(4401, expiring.awaitClose());
                refreshed.send(new JsonObject().put("type", "ping"));
                refreshed.next("pong");
                assertFalse(refreshed.isClosed());
            }
        }
    }

    @Test
    void tokenPastItsExpOrWithoutOneIsRefusedOverRest() {
        try (TestServer s = TestServer.start(o -> o.jwtSecret(SECRET))) {
            assertEquals(200, s.get("/api/me", Jwts.hs256(Jwts.claims("u-admin", "university", 60, "admin"), SECRET)).statusCode());
            assertEquals(401, s.get("/api/me", Jwts.hs256(Jwts.claims("u-admin", "university", -1, "admin"), SECRET)).statusCode());
            JsonObject noExp = Jwts.claims("u-admin", "university", 60, "admin");
            noExp.remove("exp");
            assertEquals(401, s.get("/api/me", Jwts.hs256(noExp, SECRET)).statusCode(), "a token without exp never expires, so it is refused");
        }
    }

    @Test
    void aUserThatIsInTheStoreButNotYetInThisNodesDirectoryIsFoundThere() {
        try (TestServer s = TestServer.start(o -> o.jwtSecret(SECRET))) {
            // As if created by another node of a cluster: straight into the store.
            org.linkboard.server.testing.Await.result(s.server().store().createUser(new org.linkboard.server.store.UserRecord(
                    "u-elsewhere", "elsewhere", "Made elsewhere", "university", List.of("viewer"), "pbkdf2-sha256$1$AA$AA", 0)));
            String t = Jwts.hs256(Jwts.claims("u-elsewhere", "university", 600, "viewer"), SECRET);
            assertEquals("elsewhere", s.get("/api/me", t).bodyAsJsonObject().getString("username"));
        }
    }
}
