package org.linkboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about the plugin API itself.
 *
 * <p>{@link #VERSION} is the version a plugin names in its {@code Plugin-Requires} manifest entry
 * (set it from the Maven property {@code linkboard.api.version}). The server loads a plugin only if
 * this version satisfies the plugin's requirement; a plain version such as {@code 1.0.0} means
 * "this version or newer". The version follows semantic versioning: a new minor version only adds,
 * a new major version may break plugins. See {@code api/CHANGELOG.md}.
 */
public final class LinkboardApi {

    /** The version of this API, e.g. {@code 1.0.0}, read from {@code api-version.properties}. */
    public static final String VERSION = readVersion();

    private LinkboardApi() {
    }

    private static String readVersion() {
        try (InputStream in = LinkboardApi.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("api-version.properties is missing from the linkboard-api jar");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("api.version", "").trim();
            // An unfiltered resource (a build that bypassed Maven resource filtering) must not pass
            // for a real version: PF4J would then accept or refuse plugins arbitrarily.
            if (v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException("api-version.properties was not filtered: '" + v + "'");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
