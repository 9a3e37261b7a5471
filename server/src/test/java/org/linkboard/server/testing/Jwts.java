package org.linkboard.server.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Hand-made JWTs for tests: signed with HS256, RS256 or ES256, or not at all, so a test can present
 * exactly the token an attacker or an identity provider would. Independent of vertx-auth-jwt on
 * purpose: the server's verifier is what is under test.
 */
public final class Jwts {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {
    }

    /** The claims of CONTRACT §3 expiring {@code expInSeconds} from now (negative: already expired). */
    public static JsonObject claims(String sub, String unit, long expInSeconds, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("sub", sub).put("name", sub).put("unit", unit)
                .put("roles", new JsonArray(List.of(roles))).put("iat", now).put("exp", now + expInSeconds);
    }

    public static String hs256(JsonObject claims, byte[] secret) {
        String input = encode(header("HS256", null)) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(JsonObject claims, String secret) {
        return hs256(claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code alg: none}, empty signature. */
    public static String unsigned(JsonObject claims) {
        return encode(header("none", null)) + "." + encode(claims) + ".";
    }

    public static String rs256(JsonObject claims, PrivateKey key, String kid) {
        return signed("RS256", "SHA256withRSA", claims, key, kid);
    }

    public static String es256(JsonObject claims, PrivateKey key, String kid) {
        // JWS wants R||S (IEEE P1363), not DER.
        return signed("ES256", "SHA256withECDSAinP1363Format", claims, key, kid);
    }

    private static String signed(String alg, String jcaAlg, JsonObject claims, PrivateKey key, String kid) {
        String input = encode(header(alg, kid)) + "." + encode(claims);
        try {
            Signature s = Signature.getInstance(jcaAlg);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the signature part with another one of the same length (a forged token). */
    public static String tamperedSignature(String token) {
        int dot = token.lastIndexOf('.');
        char[] sig = token.substring(dot + 1).toCharArray();
        sig[0] = sig[0] == 'A' ? 'B' : 'A';
        return token.substring(0, dot + 1) + new String(sig);
    }

    /** Same header and signature, other claims (payload swapped after signing). */
    public static String withClaims(String token, JsonObject claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + encode(claims) + "." + (parts.length > 2 ? parts[2] : "");
    }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** X.509 SubjectPublicKeyInfo PEM, as {@code openssl} writes a public key. */
    public static String publicPem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** A public JWK of the key, with {@code kid} and {@code alg}. */
    public static JsonObject jwk(PublicKey key, String kid) {
        if (key instanceof RSAPublicKey rsa) {
            return new JsonObject().put("kty", "RSA").put("kid", kid).put("alg", "RS256").put("use", "sig")
                    .put("n", B64.encodeToString(unsigned(rsa.getModulus().toByteArray())))
                    .put("e", B64.encodeToString(unsigned(rsa.getPublicExponent().toByteArray())));
        }
        if (key instanceof ECPublicKey ec) {
            return new JsonObject().put("kty", "EC").put("kid", kid).put("alg", "ES256").put("use", "sig").put("crv", "P-256")
                    .put("x", B64.encodeToString(fixed(ec.getW().getAffineX().toByteArray(), 32)))
                    .put("y", B64.encodeToString(fixed(ec.getW().getAffineY().toByteArray(), 32)));
        }
        throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(byte[] b, int len) {
        byte[] u = unsigned(b);
        if (u.length == len) return u;
        byte[] out = new byte[len];
        System.arraycopy(u, 0, out, len - u.length, u.length);
        return out;
    }

    private static JsonObject header(String alg, String kid) {
        JsonObject h = new JsonObject().put("alg", alg).put("typ", "JWT");
        if (kid != null) h.put("kid", kid);
        return h;
    }

    private static String encode(JsonObject o) {
        return B64.encodeToString(o.encode().getBytes(StandardCharsets.UTF_8));
    }
}
