package org.linkboard.server.board;

import io.netty.util.concurrent.EventExecutor;
import org.linkboard.server.auth.Principal;

import java.util.Set;

/**
 * A board subscriber without a socket, for actor and fan-out tests: an id, a user, and optionally
 * the event loop that would write its socket; nothing sent.
 */
abstract class FakeSubscriber implements BoardSubscriber {

    /** An admin of the university: may read and write every board. */
    static final Principal USER = new Principal("u1", "u1", "User", "university", Set.of(Principal.ADMIN));

    final String id;
    /** The loop that "writes its socket", or null for none (frames are then delivered on any thread). */
    final EventExecutor loop;

    FakeSubscriber(String id) {
        this(id, null);
    }

    FakeSubscriber(String id, EventExecutor loop) {
        this.id = id;
        this.loop = loop;
    }

    @Override
    public EventExecutor writer() {
        return loop;
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public Principal principal() {
        return USER;
    }
}
