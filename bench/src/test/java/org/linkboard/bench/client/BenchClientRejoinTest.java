package org.linkboard.bench.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.bench.client.BenchClient.Violations;
import org.linkboard.bench.measure.PhaseBook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client cut off as a slow reader (close 4408, or a reset that overtook it) must rejoin with {@code since} and end the run with
 * every op answered and the stream complete, whichever form the server's {@code joined} takes; and
 * it reads a message the server split into continuation frames as one.
 */
class BenchClientRejoinTest {
    private Vertx vertx;
    private WebSocketClient wsClient;
    private ScriptedBoard board;
    private PhaseBook book;
    private BenchClient client;

    /** What the scripted board does with the op that gets seq 2. */
    private enum Cut { AFTER_APPLYING, BEFORE_APPLYING }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        wsClient = vertx.createWebSocketClient();
        book = new PhaseBook();
        book.start("test", System.nanoTime(), 0);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void run(Cut cut, boolean replay) throws Exception {
        run(new ScriptedBoard(cut, replay));
    }

    private void run(ScriptedBoard scripted) throws Exception {
        board = scripted;
        int port = vertx.createHttpServer().webSocketHandler(board::accept).listen(0)
                .await(10, TimeUnit.SECONDS).actualPort();
        Target target = new Target() {
            @Override public String name() { return "scripted"; }
            @Override public boolean sequenced() { return true; }
            @Override public Future<String> createRoom(String title) { return Future.succeededFuture("b1"); }
            @Override public WebSocketConnectOptions connectOptions(String room, int clientIndex) {
                return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
            }
        };
        client = new BenchClient(vertx, target, book, new Room("b1"), 0, "t");
        client.connect(wsClient).await(10, TimeUnit.SECONDS);
        client.join().await(10, TimeUnit.SECONDS);
        client.fill(3, 1).await(10, TimeUnit.SECONDS);
    }

    private void assertCompleteAfterOneRejoin() throws Exception {
        assertEquals(Violations.NONE, client.check().await(10, TimeUnit.SECONDS));
        assertEquals(3, book.now().ackedOfSent.sum());
        assertEquals(3, book.now().ack.count());
        assertEquals(1, client.rejoins());
        assertEquals(Map.of("CLOSE_4408", 1L), book.now().errors());
        assertEquals(3, board.applied.size(), "each op applied once: " + board.applied);
    }

    @Test
    void anOpAppliedBeforeTheCutIsAnsweredByTheReplayAndTheRunEndsComplete() throws Exception {
        run(Cut.AFTER_APPLYING, true);
        assertCompleteAfterOneRejoin();
        assertEquals(1, board.sinceAsked.size());
        assertEquals(1L, board.sinceAsked.get(0));
    }

    @Test
    void anOpLostWithTheSocketIsSentAgainAfterTheRejoin() throws Exception {
        run(Cut.BEFORE_APPLYING, true);
        assertCompleteAfterOneRejoin();
    }

    @Test
    void afterASnapshotRejoinTheReSentOpsOriginalSeqIsNotCountedAsADuplicate() throws Exception {
        run(Cut.AFTER_APPLYING, false);
        assertCompleteAfterOneRejoin();
        assertEquals(1, board.duplicateCidsAcked, "the applied op was re-sent and acked with its seq");
    }

    @Test
    void aJoinedMessageSplitIntoContinuationFramesIsReadAsOneMessage() throws Exception {
        ScriptedBoard scripted = new ScriptedBoard(Cut.AFTER_APPLYING, true);
        scripted.fragmentJoined = true;
        run(scripted);
        assertCompleteAfterOneRejoin();
    }

    @Test
    void aConnectionResetWithoutACloseFrameIsRejoinedLikeACutOff() throws Exception {
        ScriptedBoard scripted = new ScriptedBoard(Cut.AFTER_APPLYING, true);
        scripted.resetInsteadOfClose = true;
        run(scripted);

        assertEquals(Violations.NONE, client.check().await(10, TimeUnit.SECONDS));
        assertEquals(3, book.now().ackedOfSent.sum());
        assertEquals(1, client.rejoins());
        assertEquals(List.of(1L), board.sinceAsked);
        assertEquals(3, board.applied.size(), "each op applied once: " + board.applied);
    }

    /**
     * A one-board server speaking just enough of CONTRACT §5: it sequences ops, acks re-sent cids with
     * their original seq, and closes the socket with 4408 at the op that gets seq 2 (once).
     * Runs on its own event loop; the test reads its fields after the run.
     */
    private static final class ScriptedBoard {
        final Cut cut;
        final boolean replay;
        final List<JsonObject> applied = new ArrayList<>();
        final Map<String, Long> seqByCid = new HashMap<>();
        final List<Long> sinceAsked = new ArrayList<>();
        int duplicateCidsAcked;
        boolean cutDone;
        boolean fragmentJoined;
        /** Cut the connection with a TCP reset (no close frame) instead of closing with 4408. */
        boolean resetInsteadOfClose;

        ScriptedBoard(Cut cut, boolean replay) {
            this.cut = cut;
            this.replay = replay;
        }

        void accept(ServerWebSocket ws) {
            ws.writeTextMessage("{\"type\":\"welcome\",\"session\":\"s\",\"user\":{}}");
            ws.textMessageHandler(text -> {
                JsonObject m = new JsonObject(text);
                switch (m.getString("type")) {
                    case "join" -> join(ws, m.getLong("since"));
                    case "op" -> op(ws, m.getString("cid"), m.getJsonObject("op"));
                    default -> throw new IllegalStateException(text);
                }
            });
        }

        private void join(ServerWebSocket ws, Long since) {
            JsonObject joined = new JsonObject().put("type", "joined").put("board", "b1")
                    .put("version", applied.size()).put("peers", new JsonArray());
            if (since != null) {
                sinceAsked.add(since);
            }
            if (since != null && replay) {
                JsonArray ops = new JsonArray();
                for (JsonObject o : applied) {
                    if (o.getLong("seq") > since) {
                        ops.add(o);
                    }
                }
                joined.put("ops", ops);
            } else {
                joined.put("snapshot", new JsonObject().put("items", new JsonObject()));
            }
            if (fragmentJoined) {
                // A text frame (ASCII), then two continuation frames split inside a two-byte character.
                byte[] all = joined.put("note", "\u00e9t\u00e9").encode().getBytes(StandardCharsets.UTF_8);
                int split = indexOf(all, (byte) 0xC3) + 1;
                ws.writeFrame(WebSocketFrame.textFrame(new String(all, 0, 10, StandardCharsets.US_ASCII), false));
                ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(all, 10, split)), false));
                ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(all, split, all.length)), true));
            } else {
                ws.writeTextMessage(joined.encode());
            }
        }

        private void op(ServerWebSocket ws, String cid, JsonObject op) {
            Long original = seqByCid.get(cid);
            if (original != null) {
                duplicateCidsAcked++;
                ack(ws, cid, original);
                return;
            }
            boolean cutHere = !cutDone && applied.size() == 1;
            if (cutHere && cut == Cut.BEFORE_APPLYING) {
                cutDone = true;
                cutOff(ws);
                return;
            }
            long seq = applied.size() + 1;
            applied.add(new JsonObject().put("seq", seq).put("op", op).put("by", "u").put("cid", cid));
            seqByCid.put(cid, seq);
            if (cutHere) {
                cutDone = true;
                cutOff(ws);
                return;
            }
            ack(ws, cid, seq);
        }

        private void cutOff(ServerWebSocket ws) {
            if (resetInsteadOfClose) {
                io.netty.channel.Channel ch = ((io.vertx.core.internal.http.WebSocketInternal) ws).channelHandlerContext().channel();
                ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
                ch.close();
            } else {
                ws.close((short) 4408, "too slow");
            }
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int k = 0; k < bytes.length; k++) {
                if (bytes[k] == b) return k;
            }
            throw new IllegalStateException("no such byte");
        }

        private static void ack(ServerWebSocket ws, String cid, long seq) {
            ws.writeTextMessage("{\"type\":\"ack\",\"board\":\"b1\",\"cid\":\"" + cid + "\",\"seq\":" + seq + "}");
        }
    }
}
