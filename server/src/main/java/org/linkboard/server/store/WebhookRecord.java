package org.linkboard.server.store;

import java.util.List;

/**
 * A webhook subscription: events of one board POSTed to {@code url}, signed with {@code secret}.
 *
 * @param events event types delivered ({@code op}, {@code item.created}, …)
 * @param cursor seq of the board's last op whose events were all delivered (or given up on)
 */
public record WebhookRecord(String id, String url, String secret, String board, List<String> events,
                            String createdBy, long createdAt, long cursor) {

    public WebhookRecord {
        events = List.copyOf(events);
    }

    public WebhookRecord withCursor(long seq) {
        return new WebhookRecord(id, url, secret, board, events, createdBy, createdAt, seq);
    }
}
