package org.linkboard.server.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing without locking the real user out for good.
 *
 * <p>Failures are counted per username and per client address. After {@link #FREE_FAILURES}
 * failures each further attempt must wait an exponentially growing delay (1 s, 2 s, 4 s … capped
 * at 5 minutes); an attempt inside the delay is answered RATE_LIMITED without checking the
 * password. A success resets the username's count; counts also decay after 15 quiet minutes.
 * Thread-safe.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    private static final long MAX_DELAY_MS = 5 * 60_000;
    private static final long FORGET_AFTER_MS = 15 * 60_000;

    private record Failures(int count, long lastAt) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Milliseconds the caller must still wait before trying again, 0 when it may try now. */
    public long retryAfterMillis(String username, String address, long now) {
        return Math.max(wait(key("u", username), now), wait(key("a", address), now));
    }

    public void failed(String username, String address, long now) {
        bump(key("u", username), now);
        bump(key("a", address), now);
        if (failures.size() > 100_000) failures.entrySet().removeIf(e -> now - e.getValue().lastAt() > FORGET_AFTER_MS);
    }

    public void succeeded(String username) {
        failures.remove(key("u", username));
    }

    private long wait(String key, long now) {
        Failures f = failures.get(key);
        if (f == null) return 0;
        if (now - f.lastAt() > FORGET_AFTER_MS) {
            failures.remove(key, f);
            return 0;
        }
        if (f.count() < FREE_FAILURES) return 0;
        long delay = Math.min(MAX_DELAY_MS, 1000L << Math.min(20, f.count() - FREE_FAILURES));
        return Math.max(0, f.lastAt() + delay - now);
    }

    private void bump(String key, long now) {
        failures.merge(key, new Failures(1, now), (a, b) -> new Failures(a.count() + 1, now));
    }

    private static String key(String kind, String v) {
        return kind + ":" + (v == null ? "" : v.toLowerCase(java.util.Locale.ROOT));
    }
}
