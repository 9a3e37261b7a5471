package org.linkboard.bench.client;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrame;
import org.linkboard.bench.measure.Phase;
import org.linkboard.bench.measure.PhaseBook;
import org.linkboard.bench.measure.SeqOrderChecker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated user: a WebSocket to the target, joined to one room, optionally writing ops at a
 * fixed rate, measuring what it receives and checking its order.
 *
 * <p>Sending is open loop: ops are scheduled at {@code start + k·interval} whatever the server does,
 * and the scheduled time travels in the cid ({@link OpCid}), so a receiver's latency counts from
 * when the op <em>should</em> have left. A backlog in the server (or in this process) therefore
 * shows up as latency, never as a silently lower rate.
 *
 * <p>Like a real client (CONTRACT §5), one that the server cuts off as too slow a reader (close
 * 4408, or a reset that overtook it) reconnects, rejoins with {@code since} = the last seq it saw,
 * takes the ops it missed from the {@code joined} replay and re-sends its unanswered ops with their
 * cids; the ops it schedules meanwhile wait and go out after the rejoin. So a run past the knee still checks that every op
 * reached every client, and the late arrivals show up as latency, not as loss.
 *
 * <p>Threading: everything after {@link #connect} runs on the event loop of the socket's context;
 * the orchestrating thread calls {@link #pace}, {@link #join}, {@link #check} and
 * {@link #close}, which hop onto that context.
 */
public final class BenchClient {
    private final Vertx vertx;
    private final Target target;
    private final PhaseBook book;
    private final Room room;
    private final int index;
    private final String itemPrefix;

    private WebSocketClient client;
    private WebSocket ws;
    private Context context;
    private Promise<Void> welcomed;
    private Promise<Long> joined;
    private boolean closing;

    // Linkboard: the per-board seq stream of ops and acks. Relay: each sender's op numbers.
    private SeqOrderChecker boardSeq;
    private final Map<Integer, SeqOrderChecker> bySender = new HashMap<>();
    // Linkboard: this client's ops not yet acked or rejected, by cid, in send order (re-sent after a
    // rejoin); and the cids re-sent, whose ack may carry an older seq (CONTRACT §5).
    private final Map<String, String> unanswered = new LinkedHashMap<>();
    private final Set<String> resent = new HashSet<>();
    // Violations of the streams before a rejoin that had to take the snapshot form.
    private Violations retired = Violations.NONE;
    private volatile long rejoins;
    private boolean cutOff;
    /** The socket being opened or open now: events of one lost before it are not a new loss. */
    private ClientWebSocket socket;
    private Buffer partial;
    /** When the last frame arrived (System.nanoTime), or 0; for {@link #standing}. */
    private long lastFrameNanos;

    private volatile long sentCount;
    private volatile long joinedBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private boolean pacing;
    private long intervalNanos;
    private long nextIntended;
    private long pacingEnd;
    private long timerId = -1;
    private Promise<Void> fill;
    private long fillTarget;
    private long fillRemaining;

    /**
     * @param runTag short tag unique per run, so item ids never collide with an earlier run on the
     *               same board ({@code ID_TAKEN})
     */
    public BenchClient(Vertx vertx, Target target, PhaseBook book, Room room, int index, String runTag) {
        this.vertx = vertx;
        this.target = target;
        this.book = book;
        this.room = room;
        this.index = index;
        this.itemPrefix = "c" + runTag + "-" + index + "-";
        room.clients.add(this);
    }

    public int index() {
        return index;
    }

    public Room room() {
        return room;
    }

    /** Ops sent so far (the last op number). */
    public long sentCount() {
        return sentCount;
    }

    /** Length in bytes of the last {@code joined} message (the snapshot size, for S6). */
    public long joinedBytes() {
        return joinedBytes;
    }

    /** Times this client rejoined after losing its connection (a 4408 cut-off or a reset). */
    public long rejoins() {
        return rejoins;
    }

    /** Opens the socket and waits for {@code welcome}. */
    public Future<Void> connect(WebSocketClient client) {
        this.client = client;
        return open().map(v -> {
            context = vertx.getOrCreateContext();
            return null;
        });
    }

    private Future<Void> open() {
        welcomed = Promise.promise();
        partial = null;
        // Handlers go on before the handshake: a server that greets at once (the relay sends its
        // welcome in the same TCP segment as the 101) must not race a handler set afterwards.
        ClientWebSocket w = client.webSocket();
        socket = w;
        w.frameHandler(this::onFrame);
        w.closeHandler(v -> onClosed(w));
        w.exceptionHandler(e -> {
            book.now().error("SOCKET_" + e.getClass().getSimpleName());
            // A reset can end the connection without a close frame, or without a close event at
            // all: a server that cuts a slow reader off closes a socket whose inbound it no longer
            // reads, and the reset overtakes the 4408 behind megabytes of unread frames.
            if (e instanceof java.io.IOException) lostConnection(w);
        });
        return w.connect(target.connectOptions(room.id, index)).compose(connected -> {
            ws = connected;
            return welcomed.future();
        });
    }

    private void onClosed(ClientWebSocket w) {
        if (closing || w != socket) {
            return;
        }
        Short code = w.closeStatusCode();
        book.now().error("CLOSE_" + code);
        if (!lostConnection(w)) {
            welcomed.tryFail("closed " + code + " " + w.closeReason());
            if (joined != null) {
                joined.tryFail("closed " + code + " " + w.closeReason());
            }
        }
    }

    /**
     * The connection {@code w} ended without this client closing it (a 4408 cut-off, or a reset):
     * like a real client, reconnect and rejoin with {@code since} (the rejoin opens a new socket, so
     * this runs once per socket). False when there is nothing to rejoin (not joined, or the relay).
     */
    private boolean lostConnection(ClientWebSocket w) {
        if (closing || w != socket || !target.sequenced() || boardSeq == null) {
            return false;
        }
        if (!w.isClosed()) w.close();
        cutOff = true;
        rejoin();
        return true;
    }

    /** Reconnects and joins with {@code since}; {@link #onJoined} catches up and re-sends. */
    private void rejoin() {
        rejoins++;
        open().onComplete(r -> {
            if (r.failed()) {
                book.now().error("REJOIN_FAILED");
                return;
            }
            ws.writeTextMessage("{\"type\":\"join\",\"board\":\"" + room.id + "\",\"since\":" + boardSeq.last() + "}");
        });
    }

    /**
     * Joins the room (Linkboard: {@code join} → {@code joined}); yields the board version at join.
     * The relay has nothing to join: the room is in the socket URI.
     */
    public Future<Long> join() {
        if (!target.sequenced()) {
            return Future.succeededFuture(0L);
        }
        Promise<Long> p = Promise.promise();
        context.runOnContext(v -> {
            joined = p;
            ws.writeTextMessage("{\"type\":\"join\",\"board\":\"" + room.id + "\"}");
        });
        return p.future();
    }

    /**
     * Reads messages from their frames' bytes (no {@code String} per message: see
     * {@link FrameFields}); a message split over continuation frames is put together first.
     */
    private void onFrame(WebSocketFrame frame) {
        lastFrameNanos = System.nanoTime();
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
            if (frame.isFinal() && partial == null) {
                onMessage(frame.binaryData().getBytes());
                return;
            }
            if (partial == null) {
                partial = Buffer.buffer();
            }
            partial.appendBuffer(frame.binaryData());
            if (frame.isFinal()) {
                byte[] whole = partial.getBytes();
                partial = null;
                onMessage(whole);
            }
        }
    }

    private void onMessage(byte[] utf8) {
        long now = System.nanoTime();
        FrameFields f;
        try {
            f = FrameFields.scan(utf8, 0, utf8.length);
        } catch (IllegalArgumentException e) {
            book.at(now).error("BAD_FRAME");
            return;
        }
        if (f.type == null) {
            book.at(now).error("NO_TYPE");
            return;
        }
        switch (f.type) {
            case "op" -> onOp(f, now);
            case "ack" -> onAck(f, now);
            case "welcome" -> welcomed.tryComplete();
            case "joined" -> onJoined(f, utf8.length, now);
            case "reject", "error" -> {
                book.at(now).error(f.errorCode);
                OpCid cid = "reject".equals(f.type) ? decodeOrNull(f.cid) : null;
                if (cid != null && unanswered.remove(f.cid) != null) {
                    resent.remove(f.cid);
                    book.get(cid.phase()).rejectedOfSent.increment();
                    answered();
                }
                if (joined != null && "error".equals(f.type) && f.board != null) {
                    joined.tryFail("join failed: " + f.errorCode);
                }
            }
            default -> { } // presence, rollup, pong: not measured
        }
    }

    private void onJoined(FrameFields f, int bytes, long now) {
        joinedBytes = bytes;
        long version = Math.max(0, f.version);
        if (boardSeq == null) {
            boardSeq = new SeqOrderChecker(version);
            room.joinedAt(version);
            if (joined != null) {
                joined.tryComplete(version);
            }
            return;
        }
        // A rejoin: the replay form continues the stream; the snapshot form stands in for the ops
        // after the last one seen (the log no longer holds them), so the stream restarts there.
        List<FrameFields> ops = f.ops;
        if (ops == null) {
            SeqOrderChecker c = boardSeq;
            retired = retired.plus(new Violations(c.gaps(), c.duplicates(), c.outOfOrder(), c.lost(c.last())));
            boardSeq = new SeqOrderChecker(version);
        } else {
            for (FrameFields o : ops) {
                long seq = o.seq;
                String cid = o.cid;
                book.at(now).deliveriesArrived.increment();
                OpCid oc = decodeOrNull(cid);
                if (oc != null && oc.client() == index) {
                    if (unanswered.remove(cid) != null) {
                        acked(oc, seq, now);
                    }
                } else if (oc != null) {
                    book.get(oc.phase()).delivery.recordNanos(now - oc.intendedNanos());
                }
                boardSeq.accept(seq);
            }
        }
        // Whether an unanswered op was applied before the cut is settled by sending it again: a
        // known cid is acked with its original seq.
        resent.addAll(unanswered.keySet());
        unanswered.values().forEach(ws::writeTextMessage);
        cutOff = false;
    }

    private static OpCid decodeOrNull(String cid) {
        if (cid == null) {
            return null;
        }
        try {
            return OpCid.decode(cid);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void onOp(FrameFields f, long now) {
        book.at(now).deliveriesArrived.increment();
        OpCid cid = null;
        if (f.cid != null) {
            try {
                cid = OpCid.decode(f.cid);
            } catch (IllegalArgumentException e) {
                // someone else's op (e.g. a person on the board in --url mode): check order only
            }
        }
        if (cid != null && cid.client() == index && target.sequenced()) {
            // Our own op, applied from the session that was cut off: it is its answer.
            if (unanswered.remove(f.cid) != null) {
                acked(cid, f.seq, now);
            }
        } else if (cid != null) {
            book.get(cid.phase()).delivery.recordNanos(now - cid.intendedNanos());
        }
        if (target.sequenced()) {
            if (boardSeq == null || f.seq < 0) {
                book.at(now).error(boardSeq == null ? "OP_BEFORE_JOINED" : "OP_WITHOUT_SEQ");
                return;
            }
            boardSeq.accept(f.seq);
        } else if (cid != null) {
            bySender.computeIfAbsent(cid.client(), c -> new SeqOrderChecker(0)).accept(cid.n());
        }
    }

    private void onAck(FrameFields f, long now) {
        Phase arrival = book.at(now);
        arrival.acksArrived.increment();
        OpCid cid = decodeOrNull(f.cid);
        if (f.cid != null && cid == null) {
            arrival.error("FOREIGN_ACK");
        }
        if (boardSeq == null || f.seq < 0) {
            arrival.error("ACK_WITHOUT_SEQ");
            return;
        }
        boolean answers = f.cid != null && unanswered.remove(f.cid) != null;
        // The ack of a re-sent op that had been applied before the cut carries its original seq,
        // already seen: not a duplicate in the stream.
        boolean original = f.cid != null && resent.remove(f.cid) && f.seq <= boardSeq.last();
        if (!original) {
            boardSeq.accept(f.seq);
        }
        if (answers && cid != null) {
            acked(cid, f.seq, now);
        } else {
            room.acked(f.seq);
        }
    }

    /** Counts the answer to one of this client's ops, with its latency from the intended send. */
    private void acked(OpCid cid, long seq, long now) {
        Phase sent = book.get(cid.phase());
        sent.ack.recordNanos(now - cid.intendedNanos());
        sent.ackedOfSent.increment();
        room.acked(seq);
        answered();
    }

    /**
     * Sends {@code count} ops as fast as the server answers them, keeping {@code window} unanswered
     * (to fill a board for S6); completes when all are acked or rejected.
     */
    public Future<Void> fill(long count, int window) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            fill = p;
            fillTarget = sentCount + count;
            fillRemaining = count;
            for (int i = 0; i < window && sentCount < fillTarget; i++) {
                send(System.nanoTime());
            }
        });
        return p.future();
    }

    private void answered() {
        if (fill == null) {
            return;
        }
        if (sentCount < fillTarget) {
            send(System.nanoTime());
        }
        if (--fillRemaining == 0) {
            Promise<Void> p = fill;
            fill = null;
            p.complete();
        }
    }

    /**
     * Queues a pacing segment: ops at {@code opsPerSec} scheduled from about {@code startNanos} (a
     * random offset within one interval, so writers do not fire in lock step) until {@code endNanos}.
     * Segments run one after the other with no pause between them, so a rate step can be queued
     * while the previous one still runs.
     */
    public void pace(double opsPerSec, long startNanos, long endNanos) {
        context.runOnContext(v -> {
            segments.add(new Segment(opsPerSec, startNanos, endNanos));
            if (!pacing) {
                nextSegment();
            }
        });
    }

    /** Drops every queued segment and stops sending now. */
    public Future<Void> stopPacing() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            segments.clear();
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
                timerId = -1;
            }
            pacing = false;
            p.complete();
        });
        return p.future();
    }

    private void nextSegment() {
        Segment s;
        while ((s = segments.poll()) != null) {
            if (s.opsPerSec <= 0) {
                continue;
            }
            intervalNanos = Math.max(1, (long) (1e9 / s.opsPerSec));
            nextIntended = s.start + (long) (ThreadLocalRandom.current().nextDouble() * intervalNanos);
            pacingEnd = s.end;
            if (nextIntended - pacingEnd < 0) {
                pacing = true;
                schedule();
                return;
            }
        }
        pacing = false;
    }

    private void schedule() {
        long delayMs = Math.max(1, (nextIntended - System.nanoTime() + 999_999) / 1_000_000);
        timerId = vertx.setTimer(delayMs, id -> tick());
    }

    private void tick() {
        timerId = -1;
        long now = System.nanoTime();
        while (nextIntended - now <= 0 && nextIntended - pacingEnd < 0) {
            send(nextIntended);
            nextIntended += intervalNanos;
        }
        if (nextIntended - pacingEnd < 0) {
            schedule();
        } else {
            nextSegment();
        }
    }

    private record Segment(double opsPerSec, long start, long end) {
    }

    private void send(long intended) {
        long n = sentCount + 1;
        sentCount = n;
        Phase phase = book.at(intended);
        phase.sent.increment();
        String cid = new OpCid(phase.index, index, n, intended).encode();
        String frame = "{\"type\":\"op\",\"board\":\"" + room.id + "\",\"cid\":\"" + cid
                + "\",\"op\":{\"kind\":\"create\",\"id\":\"" + itemPrefix + n
                + "\",\"type\":\"card\",\"fields\":{\"title\":\"t\"}}}";
        if (target.sequenced()) {
            unanswered.put(cid, frame);
        }
        if (!cutOff) {
            ws.writeTextMessage(frame);
        }
    }

    /**
     * For a drain that gave up with deliveries missing: one line on where this client stands (its
     * connection, rejoins, the last seq it saw, how long ago its last frame came), or null when it
     * has seen every seq acked on its board. So an unexplained "lost" says whether a client waited
     * on an open socket, lost one without coming back, or was still reading.
     */
    public Future<String> standing(long nowNanos) {
        Promise<String> p = Promise.promise();
        context.runOnContext(v -> {
            long last = boardSeq == null ? 0 : boardSeq.last();
            long expected = room.lastAckedSeq();
            if (!target.sequenced() || last >= expected) {
                p.complete(null);
                return;
            }
            String connection = socket == null ? "no socket" : socket.isClosed() ? "socket closed" : "socket open";
            p.complete(standingLine(index, connection, cutOff, rejoins, last, expected,
                    lastFrameNanos == 0 ? -1 : (nowNanos - lastFrameNanos) / 1e9));
        });
        return p.future();
    }

    /** The line of {@link #standing}; {@code secondsSinceFrame} < 0 when no frame ever came. */
    static String standingLine(int index, String connection, boolean rejoinPending, long rejoins, long lastSeq,
                               long expectedSeq, double secondsSinceFrame) {
        return String.format(java.util.Locale.ROOT, "client %d: %s%s, %d rejoin%s, seq %d of %d (%d behind), %s",
                index, connection, rejoinPending ? " (rejoin under way)" : "", rejoins, rejoins == 1 ? "" : "s",
                lastSeq, expectedSeq, expectedSeq - lastSeq,
                secondsSinceFrame < 0 ? "no frame yet" : String.format(java.util.Locale.ROOT, "last frame %.1f s ago", secondsSinceFrame));
    }

    /**
     * Order and completeness as this client saw them: Linkboard against the room's last acked seq;
     * relay against the op count of every other client of the room.
     */
    public Future<Violations> check() {
        Promise<Violations> p = Promise.promise();
        context.runOnContext(v -> {
            if (target.sequenced()) {
                SeqOrderChecker c = boardSeq;
                p.complete(retired.plus(c == null ? new Violations(0, 0, 0, room.lastAckedSeq())
                        : new Violations(c.gaps(), c.duplicates(), c.outOfOrder(), c.lost(room.lastAckedSeq()))));
            } else {
                long gaps = 0, dups = 0, ooo = 0, lost = 0;
                List<BenchClient> peers = room.clients;
                for (BenchClient peer : peers) {
                    if (peer == this || peer.sentCount() == 0) {
                        continue;
                    }
                    SeqOrderChecker c = bySender.get(peer.index);
                    if (c == null) {
                        lost += peer.sentCount();
                    } else {
                        gaps += c.gaps();
                        dups += c.duplicates();
                        ooo += c.outOfOrder();
                        lost += c.lost(peer.sentCount());
                    }
                }
                p.complete(new Violations(gaps, dups, ooo, lost));
            }
        });
        return p.future();
    }

    /** Closes the socket (not counted as an error). */
    public Future<Void> close() {
        if (ws == null) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            closing = true;
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
            ws.close().onComplete(r -> p.tryComplete());
        });
        return p.future();
    }

    /**
     * Order violations seen by one or more clients.
     *
     * @param gaps       times a stream jumped ahead
     * @param duplicates numbers received twice
     * @param outOfOrder numbers received after a higher one
     * @param lost       numbers never received by the end of the drain
     */
    public record Violations(long gaps, long duplicates, long outOfOrder, long lost) {
        public static final Violations NONE = new Violations(0, 0, 0, 0);

        public Violations plus(Violations o) {
            return new Violations(gaps + o.gaps, duplicates + o.duplicates, outOfOrder + o.outOfOrder, lost + o.lost);
        }

        public long total() {
            return gaps + duplicates + outOfOrder + lost;
        }
    }
}
