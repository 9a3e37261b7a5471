package org.linkboard.server.attachments;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload, list, download and delete of attachments: streaming, limits, types, names, scopes, retention. */
class AttachmentsTest {

    static final long MAX_FILE = 64L * 1024 * 1024;
    static final long MAX_BOARD = 100L * 1024 * 1024;
    static final AtomicLong now = new AtomicLong(1_900_000_000_000L);
    static TestServer server;
    static WebClient http;
    static Path tmp;
    static String admin;
    static String editor;
    static String viewer;
    static String outsider;
    static String board;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(o -> o.attachmentMaxBytes(MAX_FILE).boardAttachmentsMaxBytes(MAX_BOARD).clock(now::get));
        http = WebClient.create(server.clientVertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
        tmp = Files.createTempDirectory("attach-test");
        admin = server.adminToken();
        server.createUnit(admin, "a-own", "college", "university");
        server.createUnit(admin, "a-other", "college", "university");
        server.createUser(admin, "ed", "a-own", "editor");
        server.createUser(admin, "vi", "a-own", "viewer");
        server.createUser(admin, "out", "a-other", "editor");
        editor = server.login("ed", "ed-pw");
        viewer = server.login("vi", "vi-pw");
        outsider = server.login("out", "out-pw");
        board = server.createBoard(admin, "Files", "a-own");
    }

    @AfterAll
    static void stop() {
        server.close();
        TestServer.deleteRecursively(tmp);
    }

    static String card() {
        String id = "card" + seq.incrementAndGet();
        HttpResponse<Buffer> r = server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", id)
                .put("op", new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", id))));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return id;
    }

    static String base(String item) {
        return "/api/boards/" + board + "/items/" + item + "/attachments";
    }

    static Path file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve("f" + seq.incrementAndGet() + "-" + name.replaceAll("[^A-Za-z0-9.]", "_"));
        Files.write(p, content);
        return p;
    }

    static HttpResponse<Buffer> upload(String token, String item, String name, String contentType, Path file) {
        MultipartForm form = MultipartForm.create().binaryFileUpload("file", name, file.toString(), contentType);
        var req = http.post(base(item));
        if (token != null) req.putHeader("Authorization", "Bearer " + token);
        return Await.result(req.sendMultipartForm(form), 120);
    }

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] PDF = "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);

    static String code(HttpResponse<Buffer> r) {
        return r.statusCode() + " " + r.bodyAsJsonObject().getJsonObject("error").getString("code");
    }

    @Test
    void aSmallFileRoundTripsWithSafeHeaders() throws IOException {
        String c = card();
        HttpResponse<Buffer> up = upload(editor, c, "Report Q1.pdf", "application/pdf", file("r.pdf", PDF));
        assertEquals(201, up.statusCode(), up.bodyAsString());
        JsonObject a = up.bodyAsJsonObject();
        assertEquals("Report Q1.pdf", a.getString("name"));
        assertEquals("application/pdf", a.getString("contentType"));
        assertEquals(PDF.length, a.getLong("size"));
        JsonArray list = server.get(base(c), viewer).bodyAsJsonArray();
        assertEquals(a.getString("id"), list.getJsonObject(0).getString("id"));
        HttpResponse<Buffer> down = server.get(base(c) + "/" + a.getString("id"), viewer);
        assertEquals(200, down.statusCode());
        assertEquals(Buffer.buffer(PDF), down.body());
        assertEquals("nosniff", down.getHeader("X-Content-Type-Options"));
        assertTrue(down.getHeader("Content-Disposition").startsWith("attachment; filename=\"Report Q1.pdf\""), down.getHeader("Content-Disposition"));
        assertEquals("application/pdf", down.getHeader("Content-Type"));
    }

    @Test
    void aLargeFileStreamsThroughWithoutTheHeapGrowingByItsSize() throws Exception {
        String c = card();
        long size = 48L * 1024 * 1024;
        Path big = tmp.resolve("big.zip");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(42);
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                if (written == 0) {
                    chunk[0] = 'P';
                    chunk[1] = 'K';
                    chunk[2] = 3;
                    chunk[3] = 4;
                }
                out.write(chunk);
                sent.update(chunk);
            }
        }
        long before = usedHeapAfterGc();
        HttpResponse<Buffer> up = upload(editor, c, "data.zip", "application/zip", big);
        long after = usedHeapAfterGc();
        assertEquals(201, up.statusCode(), up.bodyAsString());
        assertTrue(after - before < size / 4, "heap grew by " + (after - before) + " bytes for a " + size + " byte upload");
        // Download to a file (the client streams it) and compare digests.
        Path back = tmp.resolve("back.zip");
        var file = Await.result(server.clientVertx().fileSystem().open(back.toString(), new io.vertx.core.file.OpenOptions()), 10);
        var resp = Await.result(http.get(base(c) + "/" + up.bodyAsJsonObject().getString("id"))
                .putHeader("Authorization", "Bearer " + viewer).as(io.vertx.ext.web.codec.BodyCodec.pipe(file)).send(), 120);
        assertEquals(200, resp.statusCode());
        assertEquals(size, Files.size(back));
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(back)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) got.update(buf, 0, n);
        }
        assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(got.digest()));
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aFileOverTheLimitIsTooLarge() throws IOException {
        String c = card();
        Path big = tmp.resolve("over.txt");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] line = "plain text line\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            for (long w = 0; w <= MAX_FILE; w += line.length) out.write(line);
        }
        HttpResponse<Buffer> r = upload(editor, c, "over.txt", "text/plain", big);
        assertEquals(413, r.statusCode());
        assertTrue(server.get(base(c), editor).bodyAsJsonArray().isEmpty());
        Files.delete(big);
    }

    @Test
    void aLyingContentTypeIsRefused() throws IOException {
        String c = card();
        HttpResponse<Buffer> r = upload(editor, c, "photo.png", "image/png", file("fake.png", PDF));
        assertEquals("422 VALIDATION_FAILED", code(r));
        assertEquals("422 VALIDATION_FAILED", code(upload(editor, c, "run.exe", "application/octet-stream",
                file("run.exe", new byte[]{'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0}))));
    }

    @Test
    void anUnspecifiedContentTypeIsTakenFromTheBytes() throws IOException {
        String c = card();
        HttpResponse<Buffer> r = upload(editor, c, "diagram", "application/octet-stream", file("d", PNG));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        assertEquals("image/png", r.bodyAsJsonObject().getString("contentType"));
    }

    @Test
    void aPathInTheFileNameIsStrippedAndNothingIsWrittenOutsideTheStore() throws IOException {
        String c = card();
        HttpResponse<Buffer> r = upload(editor, c, "../../../evil.txt", "text/plain", file("e.txt", "hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        assertEquals("evil.txt", r.bodyAsJsonObject().getString("name"));
        try (Stream<Path> all = Files.walk(server.dataDir().getParent(), 2)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("evil.txt")));
        }
        HttpResponse<Buffer> down = server.get(base(c) + "/" + r.bodyAsJsonObject().getString("id"), editor);
        assertTrue(down.getHeader("Content-Disposition").contains("filename=\"evil.txt\""));
        assertEquals("text/plain; charset=utf-8", down.getHeader("Content-Type"));
    }

    @Test
    void readersListAndDownloadButOnlyWritersUploadAndDelete() throws IOException {
        String c = card();
        assertEquals("403 FORBIDDEN", code(upload(viewer, c, "a.txt", "text/plain", file("a.txt", "x".getBytes()))));
        assertEquals("404 NOT_FOUND", code(upload(outsider, c, "a.txt", "text/plain", file("a.txt", "x".getBytes()))));
        assertEquals(401, upload(null, c, "a.txt", "text/plain", file("a.txt", "x".getBytes())).statusCode());
        String id = upload(editor, c, "a.txt", "text/plain", file("a.txt", "x".getBytes())).bodyAsJsonObject().getString("id");
        assertEquals(404, server.get(base(c), outsider).statusCode());
        assertEquals(404, server.get(base(c) + "/" + id, outsider).statusCode());
        assertEquals(403, server.request(HttpMethod.DELETE, base(c) + "/" + id, viewer, null).statusCode());
        assertEquals(204, server.request(HttpMethod.DELETE, base(c) + "/" + id, editor, null).statusCode());
        assertEquals(404, server.get(base(c) + "/" + id, editor).statusCode());
    }

    @Test
    void aMissingItemHasNoAttachments() throws IOException {
        assertEquals("404 NOT_FOUND", code(upload(editor, "no-such-card", "a.txt", "text/plain", file("a.txt", "x".getBytes()))));
    }

    @Test
    void theBoardLimitCountsEveryFile() throws IOException {
        String other = server.createBoard(admin, "Small", "a-own");
        String saved = board;
        board = other;
        try {
            String c = card();
            byte[] thirty = new byte[30 * 1024 * 1024];
            thirty[0] = 'P';
            thirty[1] = 'K';
            thirty[2] = 3;
            thirty[3] = 4;
            Path f = file("z.zip", thirty);
            assertEquals(201, upload(editor, c, "1.zip", "application/zip", f).statusCode());
            assertEquals(201, upload(editor, c, "2.zip", "application/zip", f).statusCode());
            assertEquals(201, upload(editor, c, "3.zip", "application/zip", f).statusCode());
            assertEquals("413 PAYLOAD_TOO_LARGE", code(upload(editor, c, "4.zip", "application/zip", f)));
            Files.delete(f);
        } finally {
            board = saved;
        }
    }

    @Test
    void filesOfADeletedCardAreKeptForTheRetentionThenDeletedUnlessUndone() throws IOException {
        String kept = card();
        String gone = card();
        String keptId = upload(editor, kept, "k.txt", "text/plain", file("k.txt", "keep".getBytes())).bodyAsJsonObject().getString("id");
        String goneId = upload(editor, gone, "g.txt", "text/plain", file("g.txt", "gone".getBytes())).bodyAsJsonObject().getString("id");
        Path keptFile = server.dataDir().resolve("attachments").resolve(board).resolve(keptId);
        Path goneFile = server.dataDir().resolve("attachments").resolve(board).resolve(goneId);
        for (String c : new String[]{kept, gone}) {
            assertEquals(200, server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", "del-" + c)
                    .put("op", new JsonObject().put("kind", "delete").put("id", c))).statusCode());
        }
        // Undo of the first deletion: the same card is created again.
        assertEquals(200, server.post("/api/boards/" + board + "/ops", admin, new JsonObject().put("cid", "undo-" + kept)
                .put("op", new JsonObject().put("kind", "create").put("id", kept).put("type", "card").put("fields", new JsonObject().put("title", kept)))).statusCode());
        assertEquals(1, server.get(base(kept), editor).bodyAsJsonArray().size(), "the restored card shows its file again");
        // Wait for the removal mark of the other card's file, which the sweep needs (set on the applied op).
        Await.result(server.server().store().attachmentsRemovedBefore(Long.MAX_VALUE, 100));
        Await.result(server.server().attachmentJanitor().sweep());
        assertTrue(Files.exists(goneFile), "kept within the retention");
        now.addAndGet(8L * 24 * 3600 * 1000);
        Await.result(server.server().attachmentJanitor().sweep());
        assertFalse(Files.exists(goneFile), "deleted after the retention");
        assertTrue(Files.exists(keptFile), "a restored card keeps its file");
        assertEquals(null, Await.result(server.server().store().getAttachment(board, goneId)));
    }
}
