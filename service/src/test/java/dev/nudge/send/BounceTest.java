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
        assertTrue(SmtpChannel.unknownAddress(reply(550, "550 5.1.1 <bob@shop.invalid>: mailbox unavailable")));
        assertTrue(SmtpChannel.unknownAddress(reply(550, "550 5.1.2 bad destination system address")));
        assertTrue(SmtpChannel.unknownAddress(reply(553, "553 mailbox name not allowed")));
        assertTrue(SmtpChannel.unknownAddress(plainReply(550, "550 5.1.1 <bob@shop.invalid>: mailbox unavailable")));
    }

    @Test
    void aPolicyRefusalSaysNothingAboutTheAddress() {
        assertFalse(SmtpChannel.unknownAddress(reply(550, "550 5.7.1 message rejected as spam")));
        assertFalse(SmtpChannel.unknownAddress(reply(554, "554 transaction failed")));
        assertFalse(SmtpChannel.unknownAddress(reply(550, "550 requested action not taken")));
        assertFalse(SmtpChannel.unknownAddress(plainReply(550, "550 5.7.1 message rejected as spam")));
    }

    @Test
    void aRelayThatAsksTheSenderToSlowDownIsToldApartFromARefusalOfOneMail() {
        assertTrue(SmtpChannel.throttling(plainReply(421, "421 4.7.0 Too many messages, slow down")));
        assertTrue(SmtpChannel.throttling(plainReply(451, "451 4.7.1 rate limited")));
        assertTrue(SmtpChannel.throttling(plainReply(454, "454 4.7.0 TLS not available due to temporary reason")));
        assertFalse(SmtpChannel.throttling(plainReply(450, "450 4.2.1 mailbox busy")), "one mailbox, not the sender");
        assertFalse(SmtpChannel.throttling(new java.net.ConnectException("Connection refused")));
    }
}
