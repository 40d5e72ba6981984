package dev.nudge.send;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Signs a webhook call and checks a signature, as Stripe does: {@code Nudge-Signature: t=<unix seconds>,v1=<hex>},
 * where the hex is HMAC-SHA256 under the endpoint's secret of {@code "<t>.<body>"}. A receiver checks the signature
 * against the raw body and refuses a timestamp further than {@link #REPLAY_WINDOW} from its clock, so a call
 * recorded by someone on the way cannot be played again later. Receivers in Java can use {@link #verify} as it is.
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "Nudge-Signature";
    /** How far a call's timestamp may be from the receiver's clock, either way. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private static final HexFormat HEX = HexFormat.of();

    private WebhookSignature() {
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HEX.formatHex(hmac(secret, unixSeconds, body));
    }

    /**
     * True when {@code header} holds a {@code v1} signature of {@code body} under {@code secret} and its {@code t} is
     * within {@link #REPLAY_WINDOW} of {@code now}. Several {@code v1} entries may be present (a secret being
     * rotated): one valid is enough.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now) {
        if (header == null) {
            return false;
        }
        Long t = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (key.equals("v1")) {
                signatures.add(value);
            }
        }
        if (t == null || Math.abs(now.getEpochSecond() - t) > REPLAY_WINDOW.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, t, body);
        for (String s : signatures) {
            byte[] given;
            try {
                given = HEX.parseHex(s.toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // constant time: how much of a guess matched must not show in how long the answer takes
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
