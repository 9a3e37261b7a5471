package org.linkboard.server.attachments;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which files may be attached, recognised by their first bytes (magic numbers), and whether the
 * content type a client declared agrees with them. Stateless.
 *
 * <p>Families: PDF ({@code %PDF-}), PNG, JPEG, GIF, ZIP containers (zip, docx, xlsx: {@code PK\3\4}
 * or an empty archive {@code PK\5\6}) and plain text (valid UTF-8 without NUL bytes in the
 * sampled prefix).
 */
public final class ContentTypes {

    /** How many leading bytes are examined. */
    public static final int SAMPLE = 8192;

    public static final String PDF = "application/pdf";
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";
    public static final String ZIP = "application/zip";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String TEXT = "text/plain";

    /** Declared type → the family its bytes must belong to. */
    private static final Map<String, String> FAMILY = Map.ofEntries(
            Map.entry(PDF, PDF), Map.entry(PNG, PNG), Map.entry(JPEG, JPEG), Map.entry("image/jpg", JPEG), Map.entry(GIF, GIF),
            Map.entry(ZIP, ZIP), Map.entry("application/x-zip-compressed", ZIP), Map.entry(DOCX, ZIP), Map.entry(XLSX, ZIP),
            Map.entry(TEXT, TEXT), Map.entry("text/csv", TEXT), Map.entry("text/markdown", TEXT));

    /** Declared types that say nothing, so the detected type is used. */
    private static final Set<String> UNSPECIFIED = Set.of("", "application/octet-stream");

    private ContentTypes() {
    }

    /** The family the bytes belong to ({@link #PDF}, {@link #PNG}, …, {@link #TEXT}), or null when none is allowed. */
    public static String detect(byte[] head, int length, boolean wholeFile) {
        if (startsWith(head, length, "%PDF-".getBytes(StandardCharsets.US_ASCII))) return PDF;
        if (startsWith(head, length, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return PNG;
        if (startsWith(head, length, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) return JPEG;
        if (startsWith(head, length, "GIF87a".getBytes(StandardCharsets.US_ASCII))
                || startsWith(head, length, "GIF89a".getBytes(StandardCharsets.US_ASCII))) return GIF;
        if (startsWith(head, length, new byte[]{'P', 'K', 3, 4}) || startsWith(head, length, new byte[]{'P', 'K', 5, 6})) return ZIP;
        if (isText(head, length, wholeFile)) return TEXT;
        return null;
    }

    /**
     * The content type to store and serve: the declared one when its family matches the bytes
     * (so a .docx stays a .docx), the detected one when nothing was declared; null when the
     * declared type is not allowed or does not match the bytes.
     */
    public static String resolve(String declared, String detected) {
        if (detected == null) return null;
        String d = declared == null ? "" : declared.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        if (UNSPECIFIED.contains(d)) return detected;
        String family = FAMILY.get(d);
        if (family == null || !family.equals(detected)) return null;
        return family.equals(TEXT) ? d + "; charset=utf-8" : d;
    }

    private static boolean startsWith(byte[] b, int length, byte[] magic) {
        if (length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if (b[i] != magic[i]) return false;
        }
        return true;
    }

    private static boolean isText(byte[] b, int length, boolean wholeFile) {
        for (int i = 0; i < length; i++) {
            if (b[i] == 0) return false;
        }
        // A sample cut in the middle of a multi-byte character is still text: drop up to 3 trailing bytes.
        for (int cut = 0; cut <= (wholeFile ? 0 : 3) && cut <= length; cut++) {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                dec.decode(ByteBuffer.wrap(b, 0, length - cut));
                return true;
            } catch (CharacterCodingException e) {
                // try a shorter prefix
            }
        }
        return false;
    }
}
