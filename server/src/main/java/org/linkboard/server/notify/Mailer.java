package org.linkboard.server.notify;

import io.vertx.core.Future;

/**
 * Sends one plain-text e-mail. {@link #NONE} when no SMTP server is configured. Implementations
 * must not block the caller's thread; the future completes once the server accepted the message.
 */
public interface Mailer {

    Mailer NONE = (to, subject, body) -> Future.succeededFuture();

    Future<Void> send(String to, String subject, String body);

    /** Whether mail can be sent at all (an SMTP host is configured). */
    default boolean enabled() {
        return this != NONE;
    }
}
