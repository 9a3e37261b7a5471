package org.linkboard.server.board;

import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames one actor turn produced for its subscribers (a committed batch, a presence burst), in
 * order, each addressed to every subscriber, every subscriber but one (an op, to all but its
 * sender), or one (the sender's ack); handed to each writer loop in one task.
 *
 * <p>Why: a board's actor lives on one event loop, but its subscribers' sockets are spread over
 * all of them. Writing every frame from the actor's loop put the whole fan-out of a busy board on
 * one core, and each write from a foreign thread cost a queued task; here the actor only records
 * the frames, and each loop writes (and flushes once per subscriber) the frames of its own
 * sockets, so a single board's fan-out uses every core. Frames are addressed, not copied into a
 * list per subscriber: a turn costs the same few objects whether the board has 5 readers or 500
 * (the per-reader maps and lists were a third of the server's garbage in S1), and the subscribers'
 * grouping by loop is the board's {@link Audience}, rebuilt on join and leave, not per turn.
 *
 * <p>Frames of one subscriber keep the order they were added in, and since an actor hands
 * everything it writes to a subscriber over the same path (this, or {@link BoardSubscriber#deliver},
 * which hops to the same loop), in order with the actor's other frames.
 *
 * <p>Threading: built and sent on the actor's context; read by the writer loops it is handed to,
 * never changed after {@link #send}.
 */
public final class Fanout {

    private byte[][] frames;
    /** Per frame: null for everyone, else the one subscriber it is for or (with {@link #allBut}) not for. */
    private BoardSubscriber[] addressees;
    private boolean[] allBut;
    private int size;

    Fanout(int expectedFrames) {
        int n = Math.max(2, expectedFrames);
        frames = new byte[n][];
        addressees = new BoardSubscriber[n];
        allBut = new boolean[n];
    }

    /** For every subscriber of the audience. */
    void toAll(byte[] frame) {
        add(frame, null, false);
    }

    /** For every subscriber of the audience but {@code except} (everyone when it is null). */
    void toAllBut(BoardSubscriber except, byte[] frame) {
        add(frame, except, except != null);
    }

    /** For {@code to} alone, whether or not it is (still) a subscriber. */
    void toOne(BoardSubscriber to, byte[] frame) {
        add(frame, to, false);
    }

    private void add(byte[] frame, BoardSubscriber addressee, boolean exclude) {
        if (size == frames.length) {
            int n = size * 2;
            frames = Arrays.copyOf(frames, n);
            addressees = Arrays.copyOf(addressees, n);
            allBut = Arrays.copyOf(allBut, n);
        }
        frames[size] = frame;
        addressees[size] = addressee;
        allBut[size] = exclude;
        size++;
    }

    /** How many frames the turn produced, for all its addressees together. */
    public int size() {
        return size;
    }

    /** The UTF-8 JSON of frame {@code i}. */
    public byte[] frame(int i) {
        return frames[i];
    }

    /** Whether frame {@code i} goes to {@code s}, a subscriber of the audience it was sent to. */
    public boolean isFor(int i, BoardSubscriber s) {
        BoardSubscriber a = addressees[i];
        return a == null || (a == s) != allBut[i];
    }

    /** Whether any frame is for {@code s}: a subscriber that gets none is not handed the batch at all. */
    private boolean anyFor(BoardSubscriber s) {
        for (int i = 0; i < size; i++) {
            if (isFor(i, s)) return true;
        }
        return false;
    }

    /** The frames for {@code s}, a subscriber of the audience, in order. */
    List<byte[]> framesFor(BoardSubscriber s) {
        List<byte[]> mine = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (isFor(i, s)) mine.add(frames[i]);
        }
        return mine;
    }

    /**
     * Writes the frames: inline for the audience's subscribers on the calling loop (and those
     * without a loop), in one task per other loop; frames for one subscriber outside the audience
     * (a sender that left before its ack) go to it directly.
     */
    void send(Audience audience) {
        if (size == 0) return;
        deliverToStrays(audience);
        for (BoardSubscriber s : audience.loopless) {
            if (anyFor(s)) s.deliverAll(this, null);
        }
        // The other loops' tasks first, so they write while this one writes its own share.
        BoardSubscriber[] here = null;
        for (int g = 0; g < audience.loops.length; g++) {
            EventExecutor loop = audience.loops[g];
            BoardSubscriber[] group = audience.byLoop[g];
            if (loop.inEventLoop()) {
                here = group;
            } else {
                loop.execute(() -> write(group));
            }
        }
        if (here != null) write(here);
    }

    private void deliverToStrays(Audience audience) {
        Map<BoardSubscriber, List<byte[]>> strays = null;
        for (int i = 0; i < size; i++) {
            BoardSubscriber a = addressees[i];
            if (a == null || allBut[i] || audience.contains(a)) continue;
            if (strays == null) strays = new IdentityHashMap<>(2);
            strays.computeIfAbsent(a, k -> new ArrayList<>(2)).add(frames[i]);
        }
        if (strays != null) strays.forEach(BoardSubscriber::deliverAll);
    }

    /** Writes one loop's share, each frame encoded once for all its sockets. On that loop. */
    private void write(BoardSubscriber[] group) {
        WireFrames wire = new WireFrames(this);
        try {
            for (BoardSubscriber s : group) {
                if (anyFor(s)) s.deliverAll(this, wire);
            }
        } finally {
            wire.release();
        }
    }

    /**
     * A board's subscribers grouped by the event loop that writes their sockets: what every
     * {@link Fanout} of the board is sent to. Immutable; the actor builds a new one on each join and
     * leave.
     */
    static final class Audience {

        static final Audience NONE = new Audience(new EventExecutor[0], new BoardSubscriber[0][], new BoardSubscriber[0],
                new IdentityHashMap<>());

        final EventExecutor[] loops;
        /** {@code byLoop[g]}: the subscribers whose sockets {@code loops[g]} writes. */
        final BoardSubscriber[][] byLoop;
        /** Subscribers without a socket loop (tests, internal readers): delivered to on the actor's thread. */
        final BoardSubscriber[] loopless;
        private final IdentityHashMap<BoardSubscriber, Boolean> members;

        private Audience(EventExecutor[] loops, BoardSubscriber[][] byLoop, BoardSubscriber[] loopless,
                         IdentityHashMap<BoardSubscriber, Boolean> members) {
            this.loops = loops;
            this.byLoop = byLoop;
            this.loopless = loopless;
            this.members = members;
        }

        static Audience of(BoardSubscriber[] subscribers) {
            if (subscribers.length == 0) return NONE;
            Map<EventExecutor, List<BoardSubscriber>> grouped = new IdentityHashMap<>(4);
            List<BoardSubscriber> loopless = new ArrayList<>();
            IdentityHashMap<BoardSubscriber, Boolean> members = new IdentityHashMap<>(subscribers.length);
            for (BoardSubscriber s : subscribers) {
                members.put(s, Boolean.TRUE);
                EventExecutor loop = s.writer();
                if (loop == null) {
                    loopless.add(s);
                } else {
                    grouped.computeIfAbsent(loop, l -> new ArrayList<>()).add(s);
                }
            }
            EventExecutor[] loops = new EventExecutor[grouped.size()];
            BoardSubscriber[][] byLoop = new BoardSubscriber[grouped.size()][];
            int g = 0;
            for (Map.Entry<EventExecutor, List<BoardSubscriber>> e : grouped.entrySet()) {
                loops[g] = e.getKey();
                byLoop[g] = e.getValue().toArray(new BoardSubscriber[0]);
                g++;
            }
            return new Audience(loops, byLoop, loopless.toArray(new BoardSubscriber[0]), members);
        }

        boolean contains(BoardSubscriber s) {
            return members.containsKey(s);
        }
    }
}
