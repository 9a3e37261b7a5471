package org.linkboard.server.notify;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MentionsTest {

    @Test
    void findsDistinctUsernamesInOrder() {
        assertEquals(List.of("alice", "bob.k"), List.copyOf(Mentions.in("@alice and @bob.k, also @alice again")));
    }

    @Test
    void aTrailingDotEndsTheSentenceNotTheName() {
        assertEquals(List.of("carol"), List.copyOf(Mentions.in("Thanks @carol.")));
    }

    @Test
    void anEmailAddressIsNotAMention() {
        assertEquals(List.of(), List.copyOf(Mentions.in("write to dora@uni.example")));
    }

    @Test
    void aMentionAtTheStartOrAfterPunctuationCounts() {
        assertEquals(List.of("ed", "fay"), List.copyOf(Mentions.in("@ed (cc @fay)")));
    }

    @Test
    void noTextNoMentions() {
        assertEquals(List.of(), List.copyOf(Mentions.in(null)));
    }
}
