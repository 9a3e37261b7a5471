package org.linkboard.server.attachments;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** File names made safe, and content types decided by the bytes. */
class FileCheckTest {

    @Test
    void onlyTheLastPathSegmentOfANameIsKept() {
        assertEquals("passwd", FileNames.sanitise("../../etc/passwd"));
        assertEquals("boot.ini", FileNames.sanitise("C:\\Windows\\..\\boot.ini"));
    }

    @Test
    void controlCharactersQuotesAndLeadingDotsAreRemoved() {
        assertEquals("a_b_.txt", FileNames.sanitise("a\"b\n.txt"));
        assertEquals("htaccess", FileNames.sanitise(".htaccess"));
        assertEquals("file", FileNames.sanitise("../.."));
    }

    @Test
    void aLongNameKeepsItsExtension() {
        String name = FileNames.sanitise("x".repeat(500) + ".pdf");
        assertEquals(200, name.length());
        assertEquals(".pdf", name.substring(196));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void magicNumbersDecideTheFamily() {
        assertEquals(ContentTypes.PDF, ContentTypes.detect(b("%PDF-1.4"), 8, true));
        assertEquals(ContentTypes.GIF, ContentTypes.detect(b("GIF89a.."), 8, true));
        assertEquals(ContentTypes.ZIP, ContentTypes.detect(new byte[]{'P', 'K', 3, 4, 0}, 5, true));
        assertEquals(ContentTypes.TEXT, ContentTypes.detect("héllo".getBytes(StandardCharsets.UTF_8), 6, true));
        assertNull(ContentTypes.detect(b("h\u00e9llo"), 5, true), "Latin-1 is not UTF-8 text");
        assertNull(ContentTypes.detect(new byte[]{'M', 'Z', 0, 0}, 4, true));
    }

    @Test
    void aDocxIsAZipAndKeepsItsDeclaredType() {
        assertEquals(ContentTypes.DOCX, ContentTypes.resolve(ContentTypes.DOCX, ContentTypes.ZIP));
        assertNull(ContentTypes.resolve(ContentTypes.DOCX, ContentTypes.PDF));
    }

    @Test
    void aDeclaredTypeOutsideTheAllowedOnesIsRefused() {
        assertNull(ContentTypes.resolve("text/html", ContentTypes.TEXT));
        assertNull(ContentTypes.resolve("image/svg+xml", ContentTypes.TEXT));
    }

    @Test
    void aSampleCutInsideAMultiByteCharacterIsStillText() {
        byte[] utf8 = "aé".getBytes(StandardCharsets.UTF_8); // 'a', 0xC3, 0xA9
        assertEquals(ContentTypes.TEXT, ContentTypes.detect(utf8, 2, false));
    }
}
