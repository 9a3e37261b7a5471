package org.linkboard.server.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.linkboard.server.config.ServerOptions;

/**
 * E-mail through an SMTP server ({@code --smtp-host}, {@code --smtp-port}, {@code --smtp-from})
 * with the Vert.x mail client: non-blocking, STARTTLS when the server offers it. Thread-safe.
 */
public final class SmtpMailer implements Mailer {

    private final MailClient client;
    private final String from;

    private SmtpMailer(MailClient client, String from) {
        this.client = client;
        this.from = from;
    }

    /** The mailer the options ask for: {@link Mailer#NONE} without {@code --smtp-host}. */
    public static Mailer from(Vertx vertx, ServerOptions options) {
        if (options.smtpHost() == null || options.smtpHost().isBlank()) return Mailer.NONE;
        MailConfig config = new MailConfig().setHostname(options.smtpHost()).setPort(options.smtpPort())
                .setStarttls(StartTLSOptions.OPTIONAL).setKeepAlive(true);
        return new SmtpMailer(MailClient.createShared(vertx, config, "linkboard-notifications"), options.smtpFrom());
    }

    @Override
    public Future<Void> send(String to, String subject, String body) {
        MailMessage m = new MailMessage().setFrom(from).setTo(to).setSubject(subject).setText(body);
        return client.sendMail(m).mapEmpty();
    }
}
