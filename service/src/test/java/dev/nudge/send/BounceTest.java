package dev.nudge.send;

import io.vertx.ext.mail.SMTPException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which permanent refusals say the address does not exist (a hard bounce) and which only refuse this mail; which
 * transient ones are about the sender (slow everything down) rather than the mail.
 */
class BounceTest {

    private static SMTPException reply(int code, String line) {
        return new SMTPException(line, code, List.of(line), true);
    }

    /** As the client makes it for a relay that does not announce ENHANCEDSTATUSCODES (GreenMail, many others). */
    private static SMTPException plainReply(int code, String line) {
        return new SMTPException(line, code, List.of(line), false);
    }

    @Test
    void anUnknownMailboxOrDomainIsAHardBounce() {
        assertTrue(Dispatcher.unknownAddress(reply(550, "550 5.1.1 <bob@shop.invalid>: mailbox unavailable")));
        assertTrue(Dispatcher.unknownAddress(reply(550, "550 5.1.2 bad destination system address")));
        assertTrue(Dispatcher.unknownAddress(reply(553, "553 mailbox name not allowed")));
        assertTrue(Dispatcher.unknownAddress(plainReply(550, "550 5.1.1 <bob@shop.invalid>: mailbox unavailable")));
    }

    @Test
    void aPolicyRefusalSaysNothingAboutTheAddress() {
        assertFalse(Dispatcher.unknownAddress(reply(550, "550 5.7.1 message rejected as spam")));
        assertFalse(Dispatcher.unknownAddress(reply(554, "554 transaction failed")));
        assertFalse(Dispatcher.unknownAddress(reply(550, "550 requested action not taken")));
        assertFalse(Dispatcher.unknownAddress(plainReply(550, "550 5.7.1 message rejected as spam")));
    }

    @Test
    void aRelayThatAsksTheSenderToSlowDownIsToldApartFromARefusalOfOneMail() {
        assertTrue(Dispatcher.throttling(plainReply(421, "421 4.7.0 Too many messages, slow down")));
        assertTrue(Dispatcher.throttling(plainReply(451, "451 4.7.1 rate limited")));
        assertTrue(Dispatcher.throttling(plainReply(454, "454 4.7.0 TLS not available due to temporary reason")));
        assertFalse(Dispatcher.throttling(plainReply(450, "450 4.2.1 mailbox busy")), "one mailbox, not the sender");
        assertFalse(Dispatcher.throttling(new java.net.ConnectException("Connection refused")));
    }
}
