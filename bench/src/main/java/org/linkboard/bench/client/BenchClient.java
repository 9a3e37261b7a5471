package org.linkboard.bench.client;

import io.vertx.core.Context;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import org.linkboard.bench.measure.Phase;
import org.linkboard.bench.measure.PhaseBook;
import org.linkboard.bench.measure.SeqOrderChecker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private WebSocket ws;
    private Context context;
    private Promise<Void> welcomed;
    private Promise<Long> joined;
    private boolean closing;

    // Linkboard: the per-board seq stream of ops and acks. Relay: each sender's op numbers.
    private SeqOrderChecker boardSeq;
    private final Map<Integer, SeqOrderChecker> bySender = new HashMap<>();

    private volatile long sentCount;
    private volatile long joinedChars;
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

    /** Length in chars of the last {@code joined} message (the snapshot size, for S6). */
    public long joinedChars() {
        return joinedChars;
    }

    /** Opens the socket and waits for {@code welcome}. */
    public Future<Void> connect(WebSocketClient client) {
        welcomed = Promise.promise();
        // Handlers go on before the handshake: a server that greets at once (the relay sends its
        // welcome in the same TCP segment as the 101) must not race a handler set afterwards.
        ClientWebSocket w = client.webSocket();
        w.textMessageHandler(this::onText);
        w.closeHandler(v -> {
            if (!closing) {
                Short code = w.closeStatusCode();
                book.now().error("CLOSE_" + code);
                welcomed.tryFail("closed " + code + " " + w.closeReason());
                if (joined != null) {
                    joined.tryFail("closed " + code + " " + w.closeReason());
                }
            }
        });
        w.exceptionHandler(e -> book.now().error("SOCKET_" + e.getClass().getSimpleName()));
        return w.connect(target.connectOptions(room.id, index)).compose(connected -> {
            ws = connected;
            context = vertx.getOrCreateContext();
            return welcomed.future();
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

    private void onText(String text) {
        long now = System.nanoTime();
        FrameFields f;
        try {
            f = FrameFields.scan(text);
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
            case "joined" -> {
                joinedChars = text.length();
                long version = Math.max(0, f.version);
                boardSeq = new SeqOrderChecker(version);
                room.joinedAt(version);
                if (joined != null) {
                    joined.tryComplete(version);
                }
            }
            case "reject", "error" -> {
                book.at(now).error(f.errorCode);
                if ("reject".equals(f.type) && f.cid != null) {
                    try {
                        book.get(OpCid.decode(f.cid).phase()).rejectedOfSent.increment();
                        answered();
                    } catch (IllegalArgumentException e) {
                        // not ours
                    }
                }
                if (joined != null && "error".equals(f.type) && f.board != null) {
                    joined.tryFail("join failed: " + f.errorCode);
                }
            }
            default -> { } // presence, rollup, pong: not measured
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
        if (cid != null) {
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
        if (f.cid != null) {
            try {
                OpCid cid = OpCid.decode(f.cid);
                Phase sent = book.get(cid.phase());
                sent.ack.recordNanos(now - cid.intendedNanos());
                sent.ackedOfSent.increment();
            } catch (IllegalArgumentException e) {
                arrival.error("FOREIGN_ACK");
            }
        }
        if (boardSeq == null || f.seq < 0) {
            arrival.error("ACK_WITHOUT_SEQ");
            return;
        }
        boardSeq.accept(f.seq);
        room.acked(f.seq);
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
        ws.writeTextMessage("{\"type\":\"op\",\"board\":\"" + room.id + "\",\"cid\":\"" + cid
                + "\",\"op\":{\"kind\":\"create\",\"id\":\"" + itemPrefix + n
                + "\",\"type\":\"card\",\"fields\":{\"title\":\"t\"}}}");
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
                p.complete(c == null ? new Violations(0, 0, 0, room.lastAckedSeq())
                        : new Violations(c.gaps(), c.duplicates(), c.outOfOrder(), c.lost(room.lastAckedSeq())));
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
