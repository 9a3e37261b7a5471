package org.linkboard.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login throttling over HTTP, on a clock the test moves by hand (no sleeps): wrong passwords for
 * one username, or from one address, are answered 429 RATE_LIMITED with Retry-After once past the
 * free allowance, with growing delays; and the real user gets in once the delay has passed.
 */
class LoginThrottlingTest {

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(o -> o.clock(clock::get));
        String admin = server.adminToken();
        server.createUser(admin, "carol", "university", "editor");
        server.createUser(admin, "spray21", "university", "viewer");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<Buffer> login(String username, String password) {
        return server.post("/api/auth/login", null, new JsonObject().put("username", username).put("password", password));
    }

    static void assertRateLimited(HttpResponse<Buffer> r, long retryAfterSeconds) {
        assertEquals(429, r.statusCode(), r.bodyAsString());
        assertEquals("RATE_LIMITED", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
        assertEquals(String.valueOf(retryAfterSeconds), r.getHeader("Retry-After"));
        assertEquals(retryAfterSeconds, r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getLong("retryAfterSeconds"));
    }

    @Test
    void repeatedWrongPasswordsForOneUsernameSlowDownThenAnswerRateLimited() {
        for (int i = 0; i < 5; i++) assertEquals(401, login("carol", "guess" + i).statusCode(), "attempt " + i);
        assertRateLimited(login("carol", "guess5"), 1);
        clock.addAndGet(1000);
        assertEquals(401, login("carol", "guess6").statusCode(), "allowed again once the delay passed");
        assertRateLimited(login("carol", "guess7"), 2);
        clock.addAndGet(2000);
        assertEquals(401, login("carol", "guess8").statusCode());
        assertRateLimited(login("carol", "guess9"), 4);
    }

    @Test
    void whileThrottledEvenTheRightPasswordWaitsSoItCannotBeGuessed() {
        for (int i = 0; i < 5; i++) login("carol", "guess" + i);
        assertRateLimited(login("carol", "carol-pw"), 1);
    }

    @Test
    void theRealUserGetsInOnceTheDelayHasPassedAndStartsAfresh() {
        // A persistent guesser: every time it is let in, it fails again; the delays grow to the cap.
        long previous = 0;
        long wait = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<Buffer> r = login("carol", "guess" + i);
            if (r.statusCode() == 429) {
                wait = Long.parseLong(r.getHeader("Retry-After"));
                assertTrue(wait >= previous, "delays never shrink while the guessing goes on");
                previous = wait;
                clock.addAndGet(wait * 1000);
            } else {
                assertEquals(401, r.statusCode());
            }
        }
        assertEquals(300, wait, "the delay is capped at five minutes");
        HttpResponse<Buffer> ok = login("carol", "carol-pw");
        assertEquals(200, ok.statusCode(), "the real user, after at most the cap, gets in: " + ok.bodyAsString());
        assertNotNull(ok.bodyAsJsonObject().getString("token"));
        assertEquals(401, login("carol", "typo").statusCode(), "the success reset the account's count");
    }

    @Test
    void quietFifteenMinutesForgetTheFailures() {
        for (int i = 0; i < 8; i++) login("carol", "guess" + i);
        clock.addAndGet(15 * 60_000 + 1);
        assertEquals(200, login("carol", "carol-pw").statusCode());
    }

    @Test
    void wrongPasswordsForManyUsernamesFromOneAddressAreRateLimited() {
        for (int i = 0; i < 20; i++) assertEquals(401, login("spray" + i, "guess").statusCode(), "attempt " + i);
        assertRateLimited(login("spray20", "guess"), 1);
        assertRateLimited(login("spray21", "spray21-pw"), 1);
        clock.addAndGet(1000);
        assertEquals(200, login("spray21", "spray21-pw").statusCode());
    }

    @Test
    void unknownUsernamesCountLikeWrongPasswords() {
        for (int i = 0; i < 5; i++) assertEquals(401, login("nobody", "guess").statusCode());
        assertRateLimited(login("nobody", "guess"), 1);
    }
}
