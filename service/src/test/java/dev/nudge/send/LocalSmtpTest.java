package dev.nudge.send;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded SMTP server over real SMTP: what it keeps on disk comes back after a restart, in its order. */
class LocalSmtpTest {

    @Test
    void mailsKeptInAFolderSurviveARestartInTheOrderReceived(@TempDir Path dir) throws Exception {
        try (LocalSmtp first = LocalSmtp.start(0, dir)) {
            send(first.port(), "ana@example.com", "Your cart is waiting");
            send(first.port(), "bob@example.com", "Still thinking it over?");
            assertEquals(2, first.received().size());
        }
        // what a crash mid-write leaves, and a stray file: neither is a mail
        Files.writeString(dir.resolve("00000002.eml.part"), "From: half");
        Files.writeString(dir.resolve("notes.txt"), "not a mail");

        try (LocalSmtp second = LocalSmtp.start(0, dir)) {
            List<MimeMessage> kept = second.received();
            assertEquals(List.of("Your cart is waiting", "Still thinking it over?"),
                    kept.stream().map(LocalSmtpTest::subject).toList());
            assertEquals("ana@example.com", kept.get(0).getHeader("To")[0]);
            assertEquals("d-1", kept.get(0).getHeader("X-Nudge-Decision")[0], "every header is kept");
            assertEquals("Hello ana@example.com", LocalSmtp.part(kept.get(0), "text/plain").strip());
            // a new mail comes after them, and is kept with them
            send(second.port(), "cy@example.com", "Third");
            assertEquals(3, second.received().size());
            assertEquals(dir.toAbsolutePath().normalize(), second.keptIn());
        }
        try (LocalSmtp third = LocalSmtp.start(0, dir)) {
            assertEquals("Third", subject(third.received().get(2)));
        }
    }

    @Test
    void withoutAFolderMailsAreKeptInMemoryOnly() throws Exception {
        try (LocalSmtp smtp = LocalSmtp.start(0)) {
            send(smtp.port(), "ana@example.com", "Hi");
            assertEquals(1, smtp.received().size());
            assertEquals("Hello ana@example.com", LocalSmtp.part(smtp.received().get(0), "text/plain").strip());
            assertNull(smtp.keptIn());
        }
        try (LocalSmtp again = LocalSmtp.start(0)) {
            assertTrue(again.received().isEmpty());
        }
    }

    @Test
    void aRefusedRecipientIsNeitherListedNorKept(@TempDir Path dir) throws Exception {
        try (LocalSmtp smtp = LocalSmtp.start(0, dir)) {
            try {
                send(smtp.port(), "nobody@shop" + LocalSmtp.REFUSED_DOMAIN, "Refused");
            } catch (jakarta.mail.MessagingException expected) {
                assertTrue(String.valueOf(expected.getMessage()).contains("550")
                        || String.valueOf(expected.getCause()).contains("550"), expected.toString());
            }
            assertTrue(smtp.received().isEmpty());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    private int sequence;

    private void send(int port, String to, String subject) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom(new InternetAddress("shop@nudge.localhost"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("Hello " + to);
        m.setHeader("X-Nudge-Decision", "d-" + ++sequence);
        Transport.send(m);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
