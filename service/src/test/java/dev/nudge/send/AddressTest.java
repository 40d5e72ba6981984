package dev.nudge.send;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which addresses from a profile the send stage hands to the relay, and which it gives up at once. */
class AddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"ana@example.com", "ana.maria+shop@mail.example.co.uk", "x@localhost"})
    void plainAddressesAreSent(String email) {
        assertTrue(SendTriage.validAddress(email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not an address", "ana@", "@example.com", "ana@example.com\r\nBcc: all@example.com",
            "Ana <ana@example.com>", "ana@exa mple.com", ""})
    void malformedAddressesAndHeaderInjectionAreRefused(String email) {
        assertFalse(SendTriage.validAddress(email));
    }

    @org.junit.jupiter.api.Test
    void anAddressLongerThanSmtpCarriesIsRefused() {
        // RFC 5321: 254 characters at most; a relay answers "500 Command too long" to more, for ever
        assertTrue(SendTriage.validAddress("a".repeat(64) + "@" + "b".repeat(185) + ".com"));
        assertFalse(SendTriage.validAddress("d".repeat(600_000) + "@example.com"));
    }
}
