package org.linkboard.server.auth;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing without locking the real user out for good.
 *
 * <p>Failed logins are counted under three keys, each with its own allowance of free failures:
 * <ul>
 *   <li>the pair (username, client address): {@value #PAIR_FREE} free failures — one guesser
 *       hammering one account;</li>
 *   <li>the client address alone: {@value #ADDRESS_FREE} — one guesser spraying many usernames
 *       (higher, because a campus NAT puts many honest typists behind one address);</li>
 *   <li>the username alone: {@value #USERNAME_FREE} — a guesser spread over many addresses.
 *       High on purpose: this key is the only one an attacker elsewhere can use to delay the real
 *       user, so it bites only on a distributed attack.</li>
 * </ul>
 * Past its allowance a key demands a delay after its last failure that doubles with each further
 * failure (1 s, 2 s, 4 s … capped at {@link #MAX_DELAY_MS}); an attempt inside the delay is answered
 * RATE_LIMITED without the password being checked (so it cannot be used to guess, and costs no
 * hashing). A key forgets its failures after {@link #FORGET_AFTER_MS} without any, and a successful
 * login clears the pair and username keys. So nobody is ever locked out for longer than the cap:
 * the real user, waiting out the delay, gets in and resets it.
 *
 * <p>Time comes from the clock given at construction (tests drive it by hand). Thread-safe:
 * counters are replaced atomically per key; two concurrent attempts may both pass a check, which
 * only lets a guesser use the few requests it has in flight.
 */
public final class LoginThrottle {

    static final int PAIR_FREE = 5;
    static final int ADDRESS_FREE = 20;
    static final int USERNAME_FREE = 100;
    static final long MAX_DELAY_MS = 5 * 60_000;
    static final long FORGET_AFTER_MS = 15 * 60_000;
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, long lastAt) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    /** A throttle on the wall clock. */
    public LoginThrottle() {
        this(System::currentTimeMillis);
    }

    /** A throttle on the given clock (epoch milliseconds, or any monotonic millisecond count). */
    public LoginThrottle(LongSupplier clock) {
        this.clock = clock;
    }

    /** Milliseconds the caller must still wait before trying again, 0 when it may try now. */
    public long retryAfterMillis(String username, String address) {
        long now = clock.getAsLong();
        return Math.max(wait(pairKey(username, address), PAIR_FREE, now),
                Math.max(wait(key("a", address), ADDRESS_FREE, now), wait(key("u", username), USERNAME_FREE, now)));
    }

    /** Records a wrong password (or unknown username) from that address. */
    public void failed(String username, String address) {
        long now = clock.getAsLong();
        bump(pairKey(username, address), now);
        bump(key("a", address), now);
        bump(key("u", username), now);
        if (failures.size() > MAX_KEYS) failures.entrySet().removeIf(e -> now - e.getValue().lastAt() > FORGET_AFTER_MS);
    }

    /** Records a successful login: the account's own counters start again. */
    public void succeeded(String username, String address) {
        failures.remove(pairKey(username, address));
        failures.remove(key("u", username));
    }

    private long wait(String key, int free, long now) {
        Failures f = failures.get(key);
        if (f == null) return 0;
        if (now - f.lastAt() > FORGET_AFTER_MS) {
            failures.remove(key, f);
            return 0;
        }
        if (f.count() < free) return 0;
        long delay = Math.min(MAX_DELAY_MS, 1000L << Math.min(20, f.count() - free));
        return Math.max(0, f.lastAt() + delay - now);
    }

    private void bump(String key, long now) {
        // A failure after a quiet spell starts a fresh count, as the read side would have forgotten it.
        failures.merge(key, new Failures(1, now),
                (a, b) -> now - a.lastAt() > FORGET_AFTER_MS ? b : new Failures(a.count() + 1, now));
    }

    private static String pairKey(String username, String address) {
        return key("p", username) + "\u0000" + norm(address);
    }

    private static String key(String kind, String v) {
        return kind + ":" + norm(v);
    }

    private static String norm(String v) {
        return v == null ? "" : v.toLowerCase(Locale.ROOT);
    }
}
