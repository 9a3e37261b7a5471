package org.linkboard.server.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Jwts;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens of an external identity provider: a PEM public key given as a file path
 * ({@code --jwt-public-key}), and a JWKS file ({@code --jwks-file}) with an ES256 and an RS256 key.
 * Keys are generated here; tokens are signed by hand the way a provider would.
 */
class ExternalIdentityProviderTest {

    static TestServer server;
    static KeyPair pemKey;
    static KeyPair jwksEc;
    static KeyPair jwksRsa;
    static Path keyDir;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        pemKey = Jwts.rsaKeyPair();
        jwksEc = Jwts.ecKeyPair();
        jwksRsa = Jwts.rsaKeyPair();
        keyDir = Files.createTempDirectory("linkboard-idp");
        Path pem = keyDir.resolve("idp.pem");
        Files.writeString(pem, Jwts.publicPem(pemKey.getPublic()));
        Path jwks = keyDir.resolve("jwks.json");
        Files.writeString(jwks, new JsonObject().put("keys", new JsonArray()
                .add(Jwts.jwk(jwksEc.getPublic(), "ec-1")).add(Jwts.jwk(jwksRsa.getPublic(), "rsa-1"))).encode());
        server = TestServer.start(o -> o.jwtPublicKey(pem.toString()).jwksFile(jwks));
        admin = server.adminToken();
        server.createUnit(admin, "idp-college", "college", "university");
        server.createUnit(admin, "idp-other", "college", "university");
        server.createBoard(admin, "college board", "idp-college");
        server.createBoard(admin, "other board", "idp-other");
        server.createUser(admin, "local-viewer", "university", "viewer");
    }

    @AfterAll
    static void stop() {
        server.close();
        TestServer.deleteRecursively(keyDir);
    }

    static HttpResponse<Buffer> me(String token) {
        return server.get("/api/me", token);
    }

    @Test
    void rs256TokenVerifiedWithThePemKeyFileIsAccepted() {
        String t = Jwts.rs256(Jwts.claims("ext-alice", "idp-college", 600, "editor"), pemKey.getPrivate(), null);
        HttpResponse<Buffer> r = me(t);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("ext-alice", r.bodyAsJsonObject().getString("id"));
        assertEquals("idp-college", r.bodyAsJsonObject().getString("unit"));
        assertEquals(List.of("editor"), r.bodyAsJsonObject().getJsonArray("roles").getList());
    }

    @Test
    void pemKeyGivenAsAStringWorksToo() {
        KeyPair k = Jwts.rsaKeyPair();
        try (TestServer s = TestServer.start(o -> o.jwtPublicKey(Jwts.publicPem(k.getPublic())))) {
            String t = Jwts.rs256(Jwts.claims("ext-pem", "university", 600, "viewer"), k.getPrivate(), null);
            assertEquals(200, s.get("/api/me", t).statusCode());
        }
    }

    @Test
    void ecPemKeyVerifiesEs256Tokens() {
        KeyPair k = Jwts.ecKeyPair();
        try (TestServer s = TestServer.start(o -> o.jwtPublicKey(Jwts.publicPem(k.getPublic())))) {
            String t = Jwts.es256(Jwts.claims("ext-ec", "university", 600, "viewer"), k.getPrivate(), null);
            assertEquals(200, s.get("/api/me", t).statusCode());
            String wrongKey = Jwts.es256(Jwts.claims("ext-ec", "university", 600, "viewer"), Jwts.ecKeyPair().getPrivate(), null);
            assertEquals(401, s.get("/api/me", wrongKey).statusCode());
        }
    }

    @Test
    void es256TokenVerifiedWithTheJwksIsAccepted() {
        String t = Jwts.es256(Jwts.claims("ext-bob", "idp-college", 600, "viewer"), jwksEc.getPrivate(), "ec-1");
        HttpResponse<Buffer> r = me(t);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertEquals("ext-bob", r.bodyAsJsonObject().getString("id"));
    }

    @Test
    void rs256TokenVerifiedWithTheJwksIsAccepted() {
        String t = Jwts.rs256(Jwts.claims("ext-carol", "idp-college", 600, "viewer"), jwksRsa.getPrivate(), "rsa-1");
        assertEquals(200, me(t).statusCode());
    }

    @Test
    void externalIdentityGetsTheScopeOfItsClaimedUnit() {
        String t = Jwts.rs256(Jwts.claims("ext-dave", "idp-college", 600, "editor"), pemKey.getPrivate(), null);
        List<String> units = server.get("/api/boards", t).bodyAsJsonArray().stream()
                .map(b -> ((JsonObject) b).getString("unit")).distinct().sorted().toList();
        assertEquals(List.of("idp-college"), units, "sees its college's boards, not the other college's");
        assertEquals(201, server.post("/api/boards", t, new JsonObject().put("title", "mine").put("unit", "idp-college")).statusCode());
        assertEquals(403, server.post("/api/boards", t, new JsonObject().put("title", "not mine").put("unit", "idp-other")).statusCode());
    }

    @Test
    void externalTokenForAKnownLocalUserUsesTheLocalRecord() {
        String localId = server.get("/api/users", admin).bodyAsJsonArray().stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("username").equals("local-viewer")).findFirst().orElseThrow().getString("id");
        // The provider claims admin, but the server knows this user as a viewer: the local record wins.
        String t = Jwts.rs256(Jwts.claims(localId, "university", 600, "admin"), pemKey.getPrivate(), null);
        JsonObject me = me(t).bodyAsJsonObject();
        assertEquals("local-viewer", me.getString("username"));
        assertEquals(List.of("viewer"), me.getJsonArray("roles").getList());
        assertEquals(403, server.post("/api/units", t, new JsonObject().put("id", "x").put("name", "x").put("kind", "office")
                .put("parent", "university")).statusCode());
    }

    @Test
    void unknownRolesInExternalClaimsAreIgnored() {
        String t = Jwts.rs256(Jwts.claims("ext-erin", "university", 600, "superuser", "viewer"), pemKey.getPrivate(), null);
        assertEquals(List.of("viewer"), me(t).bodyAsJsonObject().getJsonArray("roles").getList());
    }

    @Test
    void expiredExternalTokenIsRejected() {
        String t = Jwts.rs256(Jwts.claims("ext-frank", "idp-college", -30, "editor"), pemKey.getPrivate(), null);
        assertEquals(401, me(t).statusCode());
    }

    @Test
    void externalTokenWithoutExpIsRejected() {
        JsonObject claims = Jwts.claims("ext-gina", "idp-college", 600, "editor");
        claims.remove("exp");
        assertEquals(401, me(Jwts.rs256(claims, pemKey.getPrivate(), null)).statusCode());
    }

    @Test
    void externalTokenNamingAnUnknownUnitIsRejected() {
        String t = Jwts.rs256(Jwts.claims("ext-hal", "no-such-unit", 600, "editor"), pemKey.getPrivate(), null);
        assertEquals(401, me(t).statusCode());
    }

    @Test
    void externalTokenWithoutUnitOrRolesIsRejected() {
        JsonObject claims = Jwts.claims("ext-ivy", "idp-college", 600, "editor");
        claims.remove("roles");
        assertEquals(401, me(Jwts.rs256(claims, pemKey.getPrivate(), null)).statusCode());
    }

    @Test
    void externalTokenSignedByAnUnknownKeyIsRejected() {
        String t = Jwts.es256(Jwts.claims("ext-jo", "idp-college", 600, "editor"), Jwts.ecKeyPair().getPrivate(), "ec-1");
        assertEquals(401, me(t).statusCode());
    }

    @Test
    void locallyIssuedTokensStillWorkAlongsideTheProvider() {
        assertEquals(200, me(admin).statusCode());
    }

    @Test
    void externalTokenAuthenticatesTheWebSocketAndARefreshOutlivesTheFirstToken() {
        String shortLived = Jwts.rs256(Jwts.claims("ext-kim", "idp-college", 3, "editor"), pemKey.getPrivate(), null);
        try (WsClient control = server.connect(shortLived); WsClient ws = server.connect(shortLived)) {
            assertEquals("ext-kim", ws.next("welcome").getJsonObject("user").getString("id"));
            control.next("welcome");
            String refreshed = Jwts.es256(Jwts.claims("ext-kim", "idp-college", 1200, "editor"), jwksEc.getPrivate(), "ec-1");
            ws.send(new JsonObject().put("type", "auth").put("token", refreshed));
            // The session that kept the first token is closed at its exp; the refreshed one lives on.
            assertEquals("UNAUTHENTICATED", control.next("error").getJsonObject("error").getString("code"));
            assertEquals(4401, control.awaitClose());
            ws.send(new JsonObject().put("type", "ping"));
            ws.next("pong");
            assertEquals(false, ws.isClosed());
        }
    }
}
