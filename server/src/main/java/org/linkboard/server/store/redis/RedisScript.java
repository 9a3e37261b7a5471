package org.linkboard.server.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run with EVALSHA (falling back to EVAL when the server lost its script cache, e.g.
 * after a restart). Every key it touches must be passed as a key and share one hash tag, so it
 * runs unchanged on Redis Cluster. Immutable.
 */
public record RedisScript(String name, String source, String sha1) {

    public static RedisScript of(String name, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, source, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
