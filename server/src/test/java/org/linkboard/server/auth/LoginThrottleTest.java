package org.linkboard.server.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The throttle's arithmetic on a hand-driven clock. */
class LoginThrottleTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final LoginThrottle throttle = new LoginThrottle(now::get);

    void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) throttle.failed(user, address);
    }

    @Test
    void theFirstFailuresOfAUsernameFromOneAddressCostNothing() {
        fail("alice", "10.0.0.1", LoginThrottle.PAIR_FREE - 1);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"));
    }

    @Test
    void pastTheAllowanceTheDelayDoublesWithEachFailure() {
        fail("alice", "10.0.0.1", LoginThrottle.PAIR_FREE);
        assertEquals(1000, throttle.retryAfterMillis("alice", "10.0.0.1"));
        now.addAndGet(1000);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"));
        fail("alice", "10.0.0.1", 1);
        assertEquals(2000, throttle.retryAfterMillis("alice", "10.0.0.1"));
        now.addAndGet(2000);
        fail("alice", "10.0.0.1", 1);
        assertEquals(4000, throttle.retryAfterMillis("alice", "10.0.0.1"));
    }

    @Test
    void theDelayIsCappedSoNobodyIsLockedOutForLong() {
        fail("alice", "10.0.0.1", 200);
        assertEquals(LoginThrottle.MAX_DELAY_MS, throttle.retryAfterMillis("alice", "10.0.0.1"));
        now.addAndGet(LoginThrottle.MAX_DELAY_MS);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"));
    }

    @Test
    void failuresAreForgottenAfterAQuietSpell() {
        fail("alice", "10.0.0.1", 12);
        now.addAndGet(LoginThrottle.FORGET_AFTER_MS + 1);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"));
        fail("alice", "10.0.0.1", 1);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"), "counting starts again from one");
    }

    @Test
    void aSuccessResetsTheAccountsCount() {
        fail("alice", "10.0.0.1", LoginThrottle.PAIR_FREE + 2);
        now.addAndGet(LoginThrottle.MAX_DELAY_MS);
        throttle.succeeded("alice", "10.0.0.1");
        fail("alice", "10.0.0.1", 1);
        assertEquals(0, throttle.retryAfterMillis("alice", "10.0.0.1"));
    }

    @Test
    void aGuesserOnOneAddressDoesNotDelayTheRealUserElsewhere() {
        fail("alice", "10.6.6.6", 30);
        assertTrue(throttle.retryAfterMillis("alice", "10.6.6.6") > 0);
        assertEquals(0, throttle.retryAfterMillis("alice", "192.168.1.20"));
    }

    @Test
    void sprayingManyUsernamesFromOneAddressIsSlowedDown() {
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE; i++) throttle.failed("user" + i, "10.6.6.6");
        assertEquals(1000, throttle.retryAfterMillis("someone-else", "10.6.6.6"));
        assertEquals(0, throttle.retryAfterMillis("someone-else", "10.0.0.7"));
    }

    @Test
    void guessingOneUsernameFromManyAddressesIsSlowedDownEverywhere() {
        for (int i = 0; i < LoginThrottle.USERNAME_FREE; i++) throttle.failed("alice", "10.1." + (i / 250) + "." + (i % 250));
        assertEquals(1000, throttle.retryAfterMillis("alice", "192.168.1.20"));
        assertEquals(0, throttle.retryAfterMillis("bob", "192.168.1.20"));
    }

    @Test
    void usernamesAreCountedCaseInsensitively() {
        fail("Alice", "10.0.0.1", LoginThrottle.PAIR_FREE);
        assertTrue(throttle.retryAfterMillis("alice", "10.0.0.1") > 0);
    }
}
