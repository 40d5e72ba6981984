package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook signature, against a vector computed outside Java (Python's hmac, Node's crypto), and its checks. */
class WebhookSignatureTest {

    private static final String SECRET = "whsec_test_secret_0123456789";
    private static final byte[] BODY = "{\"decisionId\":\"d-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_700_000_000L;
    // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test_secret_0123456789',
    //     b'1700000000.{\"decisionId\":\"d-1\"}', hashlib.sha256).hexdigest())"
    private static final String VECTOR = "86898f595994b029cd44119a367ea454cdc319d1b052caeb3da7c27d22a714af";

    @Test
    void theHeaderIsTheTimestampAndTheHmacOfTimestampDotBody() {
        assertEquals("t=1700000000,v1=" + VECTOR, WebhookSignature.header(SECRET, T, BODY));
    }

    @Test
    void aSignatureVerifiesWithinTheReplayWindowOnly() {
        String header = WebhookSignature.header(SECRET, T, BODY);
        // at the same second: valid
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T)));
        // five minutes off, either way: still valid
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T + 300)));
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T - 300)));
        // a second more: a replay, refused
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T + 301)));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T - 301)));
    }

    @Test
    void aChangedBodyTimestampOrSecretIsRefused() {
        Instant now = Instant.ofEpochSecond(T);
        String header = WebhookSignature.header(SECRET, T, BODY);
        // another body
        assertFalse(WebhookSignature.verify(SECRET, header, "{\"decisionId\":\"d-2\"}".getBytes(StandardCharsets.UTF_8), now));
        // the timestamp moved, signature kept
        assertFalse(WebhookSignature.verify(SECRET, "t=1700000001,v1=" + VECTOR, BODY, now));
        // another secret
        assertFalse(WebhookSignature.verify("another-secret-0123456789", header, BODY, now));
        // no header, no timestamp, no signature, garbage
        assertFalse(WebhookSignature.verify(SECRET, null, BODY, now));
        assertFalse(WebhookSignature.verify(SECRET, "v1=" + VECTOR, BODY, now));
        assertFalse(WebhookSignature.verify(SECRET, "t=1700000000", BODY, now));
        assertFalse(WebhookSignature.verify(SECRET, "t=abc,v1=zz", BODY, now));
    }

    @Test
    void oneValidSignatureAmongSeveralIsEnoughWhileASecretIsRotated() {
        String header = "t=1700000000,v1=" + "00".repeat(32) + ",v1=" + VECTOR;
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, Instant.ofEpochSecond(T)));
    }
}
