package org.linkboard.api;

/**
 * The browser side of a module. Every file under {@code web/} in the plugin jar is served at
 * {@code /api/modules/{moduleId}/assets/…} (for example {@code web/checklist.js} at
 * {@code …/assets/checklist.js}), without authentication (browsers load ES modules without
 * headers; put nothing secret there). {@link #entry} names the ES module the web app imports to
 * render the module's item types; {@code GET /api/modules} lists its URL as {@code webEntry}.
 *
 * <p>The entry module exports {@code render(item, type, el, board)}: {@code item} is the item's
 * JSON (CONTRACT §4), {@code type} its item type as listed by {@code GET /api/modules}, {@code el}
 * the DOM element to fill, {@code board} the board snapshot ({@code {items}}); it returns nothing
 * (see docs/plugins.md). Immutable.
 *
 * @param entry the entry module's path under {@code web/}, or null when the module has none
 */
public record WebAssets(String entry) {

    /** No web assets: the web app renders the module's items with its generic form. */
    public static final WebAssets NONE = new WebAssets(null);

    public WebAssets {
        if (entry != null) {
            while (entry.startsWith("/")) entry = entry.substring(1);
            if (entry.isEmpty() || entry.contains("..")) throw new IllegalArgumentException("bad entry: " + entry);
        }
    }

    /** Web assets whose entry module is {@code web/<path>} in the jar. */
    public static WebAssets entry(String path) {
        return new WebAssets(path);
    }
}
