package org.linkboard.server.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.store.UserRecord;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Issues and checks the bearer tokens of CONTRACT §3: JWTs signed HS256 with the server's secret,
 * claims {@code sub, name, unit, roles, exp}. Optionally also accepts tokens of an external identity
 * provider, verified with its public key (RS256/ES256, PEM or JWKS); such a token maps to the local
 * user with the same id, or, for users the server does not know, to the identity in its claims.
 *
 * <p>Verification is asynchronous and never blocks. A token of a user that was deleted is
 * rejected even before it expires. Thread-safe.
 */
public final class TokenService {

    private final JWTAuth local;
    private final JWTAuth external;
    private final UserDirectory users;
    private final long lifetimeSeconds;

    public TokenService(Vertx vertx, String hsSecret, long lifetimeSeconds, UserDirectory users,
                        List<PubSecKeyOptions> externalKeys, List<JsonObject> externalJwks) {
        this.users = users;
        this.lifetimeSeconds = lifetimeSeconds;
        this.local = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(hsSecret)));
        if (externalKeys.isEmpty() && externalJwks.isEmpty()) {
            this.external = null;
        } else {
            JWTAuthOptions options = new JWTAuthOptions();
            externalKeys.forEach(options::addPubSecKey);
            options.setJwks(externalJwks);
            this.external = JWTAuth.create(vertx, options);
        }
    }

    public long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** A fresh token for the user; {@code expiresAt} is epoch seconds. */
    public IssuedToken issue(UserRecord user) {
        JsonObject claims = new JsonObject().put("sub", user.id()).put("name", user.name()).put("unit", user.unit())
                .put("roles", new JsonArray(user.roles()));
        String token = local.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) lifetimeSeconds));
        long exp = System.currentTimeMillis() / 1000 + lifetimeSeconds;
        return new IssuedToken(token, exp);
    }

    public record IssuedToken(String token, long expiresAt) {
    }

    /** A verified caller with the token's expiry (epoch seconds). */
    public record Verified(Principal principal, long expiresAt) {
    }

    /** Verifies signature, algorithm and expiry, then that the user still exists. */
    public Future<Verified> verify(String token) {
        if (token == null || token.isBlank()) return Future.failedFuture(unauthenticated("missing token"));
        String alg = algorithmOf(token);
        if (alg == null) return Future.failedFuture(unauthenticated("malformed token"));
        JWTAuth verifier = alg.equals("HS256") ? local : (external != null && !alg.startsWith("HS") && !alg.equalsIgnoreCase("none") ? external : null);
        if (verifier == null) return Future.failedFuture(unauthenticated("token algorithm " + alg + " is not accepted"));
        boolean isLocal = verifier == local;
        return verifier.authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(unauthenticated("invalid or expired token")))
                .compose(user -> {
                    // The signature and time claims were checked above; read the claims as issued.
                    JsonObject claims = payloadOf(token);
                    long exp = claims.getLong("exp", 0L);
                    if (exp == 0 || exp * 1000 < System.currentTimeMillis()) {
                        return Future.failedFuture(unauthenticated("token expired"));
                    }
                    String sub = claims.getString("sub");
                    UserRecord record = users.get(sub);
                    if (record != null) return Future.succeededFuture(new Verified(UserDirectory.principalOf(record), exp));
                    if (isLocal) return Future.failedFuture(unauthenticated("unknown user"));
                    return externalPrincipal(claims).map(p -> new Verified(p, exp));
                });
    }

    private static Future<Principal> externalPrincipal(JsonObject claims) {
        String sub = claims.getString("sub");
        String unit = claims.getString("unit");
        Object rolesClaim = claims.getValue("roles");
        if (sub == null || unit == null || !(rolesClaim instanceof JsonArray roles)) {
            return Future.failedFuture(unauthenticated("external token lacks sub, unit or roles"));
        }
        Set<String> r = new HashSet<>();
        for (Object o : roles) r.add(String.valueOf(o));
        String name = claims.getString("name", sub);
        return Future.succeededFuture(new Principal(sub, claims.getString("preferred_username", sub), name, unit, r));
    }

    private static JsonObject payloadOf(String token) {
        String[] parts = token.split("\\.");
        return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static String algorithmOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) return null;
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            return new JsonObject(header).getString("alg");
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static LinkboardException unauthenticated(String message) {
        return new LinkboardException(ErrorCode.UNAUTHENTICATED, message);
    }
}
