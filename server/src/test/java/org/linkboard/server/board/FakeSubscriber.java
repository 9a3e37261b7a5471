package org.linkboard.server.board;

import org.linkboard.server.auth.Principal;

import java.util.Set;

/** A board subscriber without a socket, for actor and fan-out tests: an id and a user, nothing sent. */
abstract class FakeSubscriber implements BoardSubscriber {

    /** An admin of the university: may read and write every board. */
    static final Principal USER = new Principal("u1", "u1", "User", "university", Set.of(Principal.ADMIN));

    final String id;

    FakeSubscriber(String id) {
        this.id = id;
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
