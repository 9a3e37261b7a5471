package org.linkboard.server.notify;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** E-mail notifications against a real SMTP server (GreenMail): one message each when instant, one digest a day when daily. */
class EmailNotificationsTest {

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    static TestServer server;
    static String admin;
    static String alice;
    static String board;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() {
        long eightUtc = Instant.parse("2030-03-04T08:00:00Z").toEpochMilli();
        server = TestServer.start(o -> o.smtpHost("127.0.0.1").smtpPort(mail.getSmtp().getPort()).smtpFrom("linkboard@uni.example")
                .clock(() -> eightUtc).reminderIntervalMillis(3_600_000));
        admin = server.adminToken();
        server.createUser(admin, "alice", "university", "editor");
        server.createUser(admin, "ivan", "university", "editor");
        server.createUser(admin, "dora", "university", "editor");
        alice = server.login("alice", "alice-pw");
        board = server.createBoard(admin, "Mail", "university");
        op(alice, new JsonObject().put("kind", "create").put("id", "card").put("type", "card").put("fields", new JsonObject().put("title", "Budget")));
        assertEquals(200, server.request(HttpMethod.PUT, "/api/me/settings", server.login("ivan", "ivan-pw"),
                new JsonObject().put("emailNotifications", "instant").put("email", "ivan@uni.example")).statusCode());
        assertEquals(200, server.request(HttpMethod.PUT, "/api/me/settings", server.login("dora", "dora-pw"),
                new JsonObject().put("emailNotifications", "daily").put("email", "dora@uni.example")).statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void op(String token, JsonObject op) {
        assertEquals(200, server.post("/api/boards/" + board + "/ops", token, new JsonObject().put("cid", "m" + seq.incrementAndGet()).put("op", op)).statusCode());
    }

    static void comment(String text) {
        op(alice, new JsonObject().put("kind", "create").put("id", "cm" + seq.incrementAndGet()).put("type", "comment").put("parent", "card")
                .put("fields", new JsonObject().put("text", text)));
    }

    static MimeMessage[] to(String address) throws Exception {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeMessage[]::new);
    }

    @Test
    void instantModeMailsOneMessagePerNotificationAndDailyModeOneDigest() throws Exception {
        comment("@ivan and @dora: first");
        comment("@ivan and @dora: second");
        assertTrue(mail.waitForIncomingEmail(30_000, 2), "two instant messages");
        MimeMessage[] ivan = to("ivan@uni.example");
        assertEquals(2, ivan.length);
        assertTrue(GreenMailUtil.getBody(ivan[0]).contains("mentioned you"), GreenMailUtil.getBody(ivan[0]));
        assertEquals("linkboard@uni.example", ivan[0].getFrom()[0].toString());
        assertEquals(0, to("dora@uni.example").length, "daily mode sends nothing at once");

        Await.result(server.server().reminders().sweep());
        assertTrue(mail.waitForIncomingEmail(30_000, 3), "the digest");
        MimeMessage[] dora = to("dora@uni.example");
        assertEquals(1, dora.length);
        String body = GreenMailUtil.getBody(dora[0]);
        assertTrue(body.contains("first") && body.contains("second"), body);
        assertTrue(dora[0].getSubject().contains("2 notifications"), dora[0].getSubject());

        Await.result(server.server().reminders().sweep());
        assertEquals(3, mail.getReceivedMessages().length, "one digest a day");
    }
}
