package org.linkboard.server.plugins;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Matches a module route pattern such as {@code boards/:board/export} against a request path
 * relative to the module's prefix. Matching per request (rather than mounting each route on the
 * Vert.x router) lets modules come and go at runtime without rebuilding the router.
 */
final class RoutePattern {

    private RoutePattern() {
    }

    /** The path parameters when {@code path} matches {@code pattern}, else null. */
    static Map<String, String> match(String pattern, String path) {
        String[] p = trim(pattern).split("/", -1);
        String[] s = trim(path).split("/", -1);
        if (p.length != s.length) return null;
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            if (p[i].startsWith(":") && p[i].length() > 1) {
                if (s[i].isEmpty()) return null;
                params.put(p[i].substring(1), s[i]);
            } else if (!p[i].equals(s[i])) {
                return null;
            }
        }
        return params;
    }

    private static String trim(String s) {
        String t = s == null ? "" : s;
        while (t.startsWith("/")) t = t.substring(1);
        while (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        return t;
    }
}
