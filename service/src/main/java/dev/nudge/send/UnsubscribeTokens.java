package dev.nudge.send;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and checks the token of a mail's unsubscribe link: who and which mail, with an HMAC-SHA256 under
 * {@code send.unsubscribe-secret}, so a link cannot be forged or changed to unsubscribe somebody else.
 */
public final class UnsubscribeTokens {

    /** Whom a valid token unsubscribes, and from which mail it came. */
    public record Claim(String customerId, String campaign, String decisionId) {
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String ALGORITHM = "HmacSHA256";
    // a separator that cannot occur in ids: customer ids are free text, so a '|' must not split them wrongly
    private static final char SEP = '\u0000';

    private final SecretKeySpec key;

    public UnsubscribeTokens(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("send.unsubscribe-secret must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String sign(String customerId, String campaign, String decisionId) {
        byte[] payload = (customerId + SEP + campaign + SEP + decisionId).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The claim of a token signed with this secret; empty for a forged, altered or malformed one. */
    public Optional<Claim> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            // constant time: the signature cannot be guessed byte by byte
            if (!MessageDigest.isEqual(mac(payload), signature)) {
                return Optional.empty();
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
            return parts.length == 3 && !parts[0].isEmpty()
                    ? Optional.of(new Claim(parts[0], parts[1], parts[2])) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
