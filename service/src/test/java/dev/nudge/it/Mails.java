package dev.nudge.it;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.Arrays;
import java.util.List;

/** Reading received mails in tests: by recipient, and a header. */
final class Mails {

    private Mails() {
    }

    static List<MimeMessage> to(List<MimeMessage> received, String address) {
        return received.stream().filter(m -> {
            try {
                var to = m.getRecipients(Message.RecipientType.TO);
                return to != null && Arrays.stream(to).anyMatch(a -> a.toString().contains(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String header(MimeMessage m, String name) {
        try {
            String[] v = m.getHeader(name);
            return v == null ? null : v[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
