package org.linkboard.server.attachments;

/**
 * Makes a client's file name safe to show and to put in a {@code Content-Disposition} header:
 * only the last path segment (either separator), no control characters, quotes, or characters
 * that are special in headers or on Windows, no leading dots, at most 200 characters. The name
 * is never used as a path on disk. Stateless.
 */
public final class FileNames {

    private static final int MAX = 200;

    private FileNames() {
    }

    public static String sanitise(String raw) {
        String name = raw == null ? "" : raw;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (cut >= 0) name = name.substring(cut + 1);
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || "\"<>:|?*;%".indexOf(cp) >= 0 || Character.getType(cp) == Character.FORMAT) {
                sb.append('_');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String out = sb.toString().strip();
        while (out.startsWith(".")) out = out.substring(1);
        if (out.length() > MAX) {
            int dot = out.lastIndexOf('.');
            String ext = dot > 0 && out.length() - dot <= 10 ? out.substring(dot) : "";
            out = out.substring(0, MAX - ext.length()) + ext;
        }
        return out.isBlank() ? "file" : out;
    }

    /** ASCII fallback for the plain {@code filename=} parameter. */
    public static String ascii(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(c >= 0x20 && c < 0x7F && c != '\\' ? c : '_');
        return sb.toString();
    }
}
