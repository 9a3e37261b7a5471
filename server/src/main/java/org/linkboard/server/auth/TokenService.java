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
import java.util.function.Function;

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

    /** Signature algorithms accepted from an external identity provider: asymmetric only. */
    static final Set<String> EXTERNAL_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
            "PS256", "PS384", "PS512");

    private final JWTAuth local;
    private final JWTAuth external;
    private final UserDirectory users;
    private final UnitDirectory units;
    private final Function<String, Future<UserRecord>> storedUser;
    private final long lifetimeSeconds;

    /**
     * @param hsSecret        the HS256 secret of tokens this server issues
     * @param externalKeys    PEM public keys of an external identity provider (may be empty)
     * @param externalJwks    JWKs of an external identity provider (may be empty)
     * @param storedUser      reads a user from the store (null when absent), for ids the in-memory
     *                        directory does not hold: a user created on another cluster node
     */
    public TokenService(Vertx vertx, String hsSecret, long lifetimeSeconds, UserDirectory users, UnitDirectory units,
                        List<PubSecKeyOptions> externalKeys, List<JsonObject> externalJwks,
                        Function<String, Future<UserRecord>> storedUser) {
        this.users = users;
        this.units = units;
        this.storedUser = storedUser;
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

    /** Whether tokens of an external identity provider are accepted. */
    public boolean acceptsExternalTokens() {
        return external != null;
    }

    /** A fresh token for the user; {@code expiresAt} is epoch seconds and equals the token's {@code exp}. */
    public IssuedToken issue(UserRecord user) {
        long now = System.currentTimeMillis() / 1000;
        long exp = now + lifetimeSeconds;
        JsonObject claims = new JsonObject().put("sub", user.id()).put("name", user.name()).put("unit", user.unit())
                .put("roles", new JsonArray(user.roles())).put("iat", now).put("exp", exp);
        // exp is set here rather than through JWTOptions so that the answer's expiresAt is exactly it.
        String token = local.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
        return new IssuedToken(token, exp);
    }

    public record IssuedToken(String token, long expiresAt) {
    }

    /**
     * A verified caller with the token's expiry (epoch seconds). {@code localUser}: the principal
     * is a user record of this server (so deleting it revokes the token); false only for an
     * external identity the server does not know.
     */
    public record Verified(Principal principal, long expiresAt, boolean localUser) {
    }

    /**
     * Whether a caller verified earlier still stands: false once its local user was deleted. Cheap
     * (one map lookup); sockets call it for every message so a deleted user's in-flight message
     * is not served while its close is on the way.
     */
    public boolean stillValid(Verified v) {
        return !v.localUser() || users.get(v.principal().userId()) != null;
    }

    /** Verifies signature, algorithm and expiry, then that the user still exists. */
    public Future<Verified> verify(String token) {
        if (token == null || token.isBlank()) return Future.failedFuture(unauthenticated("missing token"));
        String alg = algorithmOf(token);
        if (alg == null) return Future.failedFuture(unauthenticated("malformed token"));
        // The header's alg only chooses the verifier; each verifier holds keys of its own kind, so a
        // token "signed" HS256 with the provider's public key meets the local secret and fails.
        JWTAuth verifier = alg.equals("HS256") ? local : (external != null && EXTERNAL_ALGORITHMS.contains(alg) ? external : null);
        if (verifier == null) return Future.failedFuture(unauthenticated("token algorithm " + alg + " is not accepted"));
        boolean isLocal = verifier == local;
        return verifier.authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(unauthenticated("invalid or expired token")))
                .compose(user -> {
                    // The signature and time claims were checked above; read the claims as issued.
                    JsonObject claims = payloadOf(token);
                    if (!(claims.getValue("exp") instanceof Number expClaim)) {
                        return Future.failedFuture(unauthenticated("token has no exp"));
                    }
                    long exp = expClaim.longValue();
                    if (exp * 1000 <= System.currentTimeMillis()) {
                        return Future.failedFuture(unauthenticated("token expired"));
                    }
                    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
                        return Future.failedFuture(unauthenticated("token has no sub"));
                    }
                    UserRecord record = users.get(sub);
                    if (record != null) return Future.succeededFuture(new Verified(UserDirectory.principalOf(record), exp, true));
                    return storedUser.apply(sub).compose(stored -> {
                        if (stored != null) {
                            users.put(stored);
                            return Future.succeededFuture(new Verified(UserDirectory.principalOf(stored), exp, true));
                        }
                        if (isLocal) return Future.failedFuture(unauthenticated("unknown user"));
                        return externalPrincipal(claims).map(p -> new Verified(p, exp, false));
                    });
                });
    }

    /** An identity the provider vouches for but this server does not store: taken from the claims. */
    private Future<Principal> externalPrincipal(JsonObject claims) {
        String sub = claims.getString("sub");
        Object unitClaim = claims.getValue("unit");
        Object rolesClaim = claims.getValue("roles");
        if (!(unitClaim instanceof String unit) || !(rolesClaim instanceof JsonArray roles)) {
            return Future.failedFuture(unauthenticated("external token lacks unit or roles"));
        }
        if (!units.exists(unit)) return Future.failedFuture(unauthenticated("external token names unknown unit " + unit));
        Set<String> r = new HashSet<>();
        for (Object o : roles) {
            // Unknown roles are ignored rather than refused: a provider may carry roles of other systems.
            if (o instanceof String s && KNOWN_ROLES.contains(s)) r.add(s);
        }
        String name = claims.getValue("name") instanceof String n ? n : sub;
        String username = claims.getValue("preferred_username") instanceof String u ? u : sub;
        return Future.succeededFuture(new Principal(sub, username, name, unit, r));
    }

    /**
     * The JWS algorithm a PEM public key verifies: RS256 for an RSA key, ES256 for an EC key. Both
     * usually come as {@code BEGIN PUBLIC KEY}, so the key itself is parsed to tell them apart.
     *
     * @throws IllegalArgumentException when the text is not an RSA or EC public key in PEM
     */
    public static String algorithmForPublicKeyPem(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END)[^-]*-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--jwt-public-key is not a PEM public key");
        }
        for (String[] kind : new String[][]{{"RSA", "RS256"}, {"EC", "ES256"}}) {
            try {
                java.security.KeyFactory.getInstance(kind[0]).generatePublic(new java.security.spec.X509EncodedKeySpec(der));
                return kind[1];
            } catch (java.security.GeneralSecurityException e) {
                // try the next kind
            }
        }
        throw new IllegalArgumentException("--jwt-public-key is neither an RSA nor an EC public key (PEM, BEGIN PUBLIC KEY)");
    }

    static final Set<String> KNOWN_ROLES = Set.of(Principal.ADMIN, Principal.UNIT_ADMIN, Principal.EDITOR, Principal.VIEWER);

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
