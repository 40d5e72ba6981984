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
 * {@code send.unsubscribe-secret}, so a link cannot be forged or changed to unsubscribe somebody else. The token also
 * carries the recipient's address masked ({@code a***@example.com}) for the unsubscribe page: never the address
 * itself, which would otherwise sit in every log of every proxy the link passes.
 */
public final class UnsubscribeTokens {

    /**
     * Whom a valid token unsubscribes, and from which mail it came; {@code maskedAddress} is null for a mail without
     * an address and for the tokens signed before it was carried (they stay valid).
     */
    public record Claim(String customerId, String campaign, String decisionId, String maskedAddress) {
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

    /** The token of one mail to {@code address} (null if the mail has none), which it carries masked. */
    public String sign(String customerId, String campaign, String decisionId, String address) {
        String masked = mask(address);
        byte[] payload = (customerId + SEP + campaign + SEP + decisionId + SEP + (masked == null ? "" : masked))
                .getBytes(StandardCharsets.UTF_8);
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
            if (parts[0].isEmpty() || parts.length < 3 || parts.length > 4) {
                return Optional.empty();
            }
            // three parts: a token from before the masked address was carried
            String masked = parts.length == 4 && !parts[3].isEmpty() ? parts[3] : null;
            return Optional.of(new Claim(parts[0], parts[1], parts[2], masked));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The address as the unsubscribe page shows it, enough for its owner to recognise: the first character of the
     * mailbox, then {@code ***}, then the domain ({@code ana@example.com} becomes {@code a***@example.com}).
     */
    public static String mask(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        String a = address.strip();
        int at = a.lastIndexOf('@');
        String local = at < 0 ? a : a.substring(0, at);
        String first = local.isEmpty() ? "" : new String(Character.toChars(local.codePointAt(0)));
        return first + "***" + (at < 0 ? "" : a.substring(at));
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
