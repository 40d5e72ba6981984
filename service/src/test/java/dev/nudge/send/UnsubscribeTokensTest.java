package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unsubscribe token: what it names, what it shows, what it refuses. */
class UnsubscribeTokensTest {

    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a-secret-of-at-least-16-chars");

    @Test
    void aSignedTokenNamesTheCustomerCampaignMailAndTheAddressMaskedNeverInFull() {
        String t = tokens.sign("ana|42", "cart-abandonment", "d-1", "ana.lopez@example.com");
        assertEquals(new UnsubscribeTokens.Claim("ana|42", "cart-abandonment", "d-1", "a***@example.com"),
                tokens.verify(t).orElseThrow());
        String payload = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))), StandardCharsets.UTF_8);
        assertFalse(payload.contains("ana.lopez"), "the link carries no address in full: " + payload);
        // a mail without an address (a webhook's) has no address to show
        assertNull(tokens.verify(tokens.sign("ana", "c", "d", null)).orElseThrow().maskedAddress());
    }

    @Test
    void aTokenSignedBeforeTheAddressWasCarriedStaysValid() {
        // signed by the previous release with this secret: customer, campaign and mail only
        String old = "YW5hfDQyAGNhcnQtYWJhbmRvbm1lbnQAZC0x.xmawoacTOgTEYsk3OCdtxx-CUr--U2yLhFI_u1iZLXo";
        assertEquals(new UnsubscribeTokens.Claim("ana|42", "cart-abandonment", "d-1", null),
                tokens.verify(old).orElseThrow());
    }

    @Test
    void theMaskKeepsTheFirstCharacterAndTheDomain() {
        // address                       shown as
        assertEquals("a***@example.com", UnsubscribeTokens.mask("ana@example.com"));
        assertEquals("a***@example.com", UnsubscribeTokens.mask("a@example.com"));
        assertEquals("\uD83D\uDE00***@example.com", UnsubscribeTokens.mask("\uD83D\uDE00x@example.com"));
        assertEquals("\"***@example.com", UnsubscribeTokens.mask("\"a@b\"@example.com"));
        assertEquals("n***", UnsubscribeTokens.mask("no-at-sign"));
        assertNull(UnsubscribeTokens.mask(" "));
    }

    @Test
    void anAlteredPayloadOrSignatureIsRefused() {
        String t = tokens.sign("ana", "cart-abandonment", "d-1", "ana@example.com");
        String bobsPayload = tokens.sign("bob", "cart-abandonment", "d-1", "ana@example.com").split("\\.")[0];
        // somebody else's customer id with ana's signature
        assertTrue(tokens.verify(bobsPayload + t.substring(t.indexOf('.'))).isEmpty());
        char last = t.charAt(t.length() - 1);
        assertTrue(tokens.verify(t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A')).isEmpty());
    }

    @Test
    void aTokenOfAnotherSecretOrNoTokenAtAllIsRefused() {
        String foreign = new UnsubscribeTokens("another-secret-of-16-chars").sign("ana", "c", "d", "ana@example.com");
        assertTrue(tokens.verify(foreign).isEmpty());
        assertTrue(tokens.verify(null).isEmpty());
        assertTrue(tokens.verify("").isEmpty());
        assertTrue(tokens.verify("no-dot").isEmpty());
        assertTrue(tokens.verify("!!!.???").isEmpty());
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new UnsubscribeTokens("short"));
    }
}
