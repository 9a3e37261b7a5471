package org.linkboard.server.notify;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.http.Requests;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user's notification settings ({@code GET/PUT /api/me/settings}):
 * {@code emailNotifications} {@code off} (default), {@code instant} (one message per notification)
 * or {@code daily} (one digest a day), and the {@code email} address to use. Immutable.
 */
public record UserSettings(String emailNotifications, String email) {

    public static final Set<String> MODES = Set.of("off", "instant", "daily");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    /** Settings from stored JSON text; the defaults for null or unreadable text. */
    public static UserSettings parse(String json) {
        if (json == null) return new UserSettings("off", null);
        try {
            JsonObject o = new JsonObject(json);
            return new UserSettings(o.getString("emailNotifications", "off"), o.getString("email"));
        } catch (RuntimeException e) {
            return new UserSettings("off", null);
        }
    }

    /** Validates a PUT body (VALIDATION_FAILED naming the field); members left out keep their current value. */
    public static UserSettings fromRequest(JsonObject body, UserSettings current) {
        String mode = current.emailNotifications();
        String email = current.email();
        if (body.containsKey("emailNotifications")) {
            Object v = body.getValue("emailNotifications");
            if (!(v instanceof String s) || !MODES.contains(s)) {
                throw Requests.invalid("emailNotifications", "emailNotifications is one of off, instant, daily");
            }
            mode = s;
        }
        if (body.containsKey("email")) {
            Object v = body.getValue("email");
            if (v != null && (!(v instanceof String s) || !EMAIL.matcher(s).matches())) {
                throw Requests.invalid("email", "not an e-mail address");
            }
            email = (String) v;
        }
        if (!"off".equals(mode) && email == null) {
            throw Requests.invalid("email", "e-mail notifications need an address");
        }
        return new UserSettings(mode, email);
    }

    public JsonObject toJson() {
        return new JsonObject().put("emailNotifications", emailNotifications).put("email", email);
    }
}
