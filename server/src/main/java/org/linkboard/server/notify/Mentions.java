package org.linkboard.server.notify;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code @username} mentions in text. A mention starts at the beginning or after a
 * character that cannot be part of a username (so e-mail addresses are not mentions) and takes
 * the longest run of username characters, minus trailing dots (end of a sentence). Stateless.
 */
public final class Mentions {

    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{1,64})");

    private Mentions() {
    }

    /** The distinct usernames mentioned, in order of first appearance. */
    public static Set<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            while (name.endsWith(".")) name = name.substring(0, name.length() - 1);
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }
}
