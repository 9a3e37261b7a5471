package org.linkboard.server.notify;

import io.vertx.core.json.JsonObject;

/**
 * Where live notifications go: every open WebSocket session of a user. Implemented by the
 * realtime endpoint; must be callable from any thread and never block.
 */
@FunctionalInterface
public interface NotificationSink {

    /** Sends the message to every open session of the user; answers how many sessions got it. */
    int sendToUser(String userId, JsonObject message);
}
