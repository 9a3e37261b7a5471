package org.linkboard.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.LoginThrottle;
import org.linkboard.server.auth.PasswordHasher;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.TokenService;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UserRecord;

import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /api/auth/login}, the bearer-token handler in front of every other {@code /api}
 * route, and {@code GET /api/me}.
 */
public final class AuthRoutes {

    private final Vertx vertx;
    private final Store store;
    private final TokenService tokens;
    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    public AuthRoutes(Vertx vertx, Store store, TokenService tokens, UserDirectory users, PasswordHasher hasher,
                      LoginThrottle throttle) {
        this.vertx = vertx;
        this.store = store;
        this.tokens = tokens;
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    public void mountLogin(Router api) {
        api.post("/auth/login").handler(Responses.async(200, this::login));
    }

    /** Everything mounted after this needs a valid bearer token. */
    public void mountAuthentication(Router api) {
        api.route().handler(this::authenticate);
        api.get("/me").handler(ctx -> {
            UserRecord u = users.get(Requests.principal(ctx).userId());
            Principal p = Requests.principal(ctx);
            Responses.json(ctx, 200, u != null ? Json.user(u)
                    : new JsonObject().put("id", p.userId()).put("username", p.username()).put("name", p.name())
                    .put("unit", p.unit()).put("roles", new io.vertx.core.json.JsonArray(p.roles().stream().sorted().toList())));
        });
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.fail(new LinkboardException(ErrorCode.UNAUTHENTICATED, "an Authorization: Bearer token is required"));
            return;
        }
        tokens.verify(header.substring(7).trim()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.put(Principal.CONTEXT_KEY, ar.result().principal());
                ctx.next();
            }
        });
    }

    private Future<JsonObject> login(RoutingContext ctx) {
        JsonObject body = Requests.body(ctx);
        String username = Requests.requiredString(body, "username");
        String password = Requests.requiredString(body, "password");
        String address = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
        long wait = throttle.retryAfterMillis(username, address);
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            ctx.response().putHeader("Retry-After", String.valueOf(seconds));
            return Future.failedFuture(new LinkboardException(ErrorCode.RATE_LIMITED,
                    "too many failed logins; try again in " + seconds + " s", Map.of("retryAfterSeconds", seconds)));
        }
        return store.findUserByUsername(username).compose(user -> {
            String hash = user == null ? null : user.passwordHash();
            // Verify even for unknown users, so timing does not reveal which usernames exist.
            return vertx.executeBlocking(() -> hasher.verify(password, hash != null ? hash : DUMMY_HASH) && hash != null)
                    .compose(ok -> {
                        if (!ok) {
                            throttle.failed(username, address);
                            return Future.failedFuture(new LinkboardException(ErrorCode.UNAUTHENTICATED, "wrong username or password"));
                        }
                        throttle.succeeded(username, address);
                        users.put(user);
                        TokenService.IssuedToken t = tokens.issue(user);
                        return Future.succeededFuture(new JsonObject().put("token", t.token())
                                .put("expiresAt", Instant.ofEpochSecond(t.expiresAt()).toString())
                                .put("user", Json.user(user)));
                    });
        });
    }

    private static final String DUMMY_HASH = PasswordHasher.standard().hash("not-a-real-password");
}
