package org.linkboard.server.store;

/**
 * One notification of one user (docs/collaboration.md): {@code kind} is {@code mention},
 * {@code assigned}, {@code status}, {@code due}, {@code overdue} or {@code goal-reached};
 * {@code by} the user whose action caused it (null for reminders); {@code at} epoch ms.
 */
public record NotificationRecord(String id, String userId, String kind, String board, String item, String by,
                                 String text, long at, boolean read) {
}
