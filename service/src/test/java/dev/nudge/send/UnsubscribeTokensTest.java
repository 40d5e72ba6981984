package dev.nudge.send;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnsubscribeTokensTest {

    private final UnsubscribeTokens tokens = new UnsubscribeTokens("a-secret-of-at-least-16-chars");

    @Test
    void aSignedTokenNamesTheCustomerCampaignAndMail() {
        String t = tokens.sign("ana|42", "cart-abandonment", "d-1");
        assertEquals(new UnsubscribeTokens.Claim("ana|42", "cart-abandonment", "d-1"), tokens.verify(t).orElseThrow());
    }

    @Test
    void anAlteredPayloadOrSignatureIsRefused() {
        String t = tokens.sign("ana", "cart-abandonment", "d-1");
        String bobsPayload = tokens.sign("bob", "cart-abandonment", "d-1").split("\\.")[0];
        // somebody else's customer id with ana's signature
        assertTrue(tokens.verify(bobsPayload + t.substring(t.indexOf('.'))).isEmpty());
        char last = t.charAt(t.length() - 1);
        assertTrue(tokens.verify(t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A')).isEmpty());
    }

    @Test
    void aTokenOfAnotherSecretOrNoTokenAtAllIsRefused() {
        String foreign = new UnsubscribeTokens("another-secret-of-16-chars").sign("ana", "c", "d");
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
