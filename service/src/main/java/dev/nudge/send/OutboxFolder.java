package dev.nudge.send;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded SMTP server's mails on disk: one raw MIME file a mail ({@code 00000042.eml}, numbered in the order
 * received), so that {@code /outbox} shows the same mails, at the same numbers, after a restart.
 */
final class OutboxFolder {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxFolder.class);
    private static final Pattern NAME = Pattern.compile("(\\d{8,})\\.eml");
    private static final Session SESSION = Session.getInstance(new Properties());

    private final Path dir;
    private long next;

    OutboxFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the outbox's mails in " + this.dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The mails kept, oldest first; a file that does not read as a mail is skipped with a warning, never fatal. */
    synchronized List<MimeMessage> load() {
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox's mails in " + dir + ": " + e.getMessage(), e);
        }
        List<MimeMessage> mails = new ArrayList<>(files.size());
        for (Path f : files) {
            Matcher m = NAME.matcher(f.getFileName().toString());
            if (m.matches()) {
                next = Math.max(next, Long.parseLong(m.group(1)) + 1);
            }
            try (InputStream in = Files.newInputStream(f)) {
                MimeMessage mail = new MimeMessage(SESSION, in);
                mail.getSubject(); // a file that is not a mail fails here, not later in a page
                mails.add(mail);
            } catch (IOException | MessagingException e) {
                LOG.warn("outbox file {} skipped: it does not read as a mail: {}", f, e.getMessage());
            }
        }
        return mails;
    }

    /**
     * Writes a received mail, whole, to a new file; a mail that cannot be written is logged and still listed (in
     * memory), since the sender was already told it was delivered.
     */
    synchronized void write(MimeMessage mail) {
        Path target = dir.resolve(String.format("%08d.eml", next++));
        Path partial = dir.resolve(target.getFileName() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                mail.writeTo(out);
            }
            // a file is there whole or not at all: a crash mid-write leaves a .part, which load ignores
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | MessagingException e) {
            LOG.warn("mail not kept in {}: it is listed until Nudge stops: {}", dir, e.getMessage());
        }
    }
}
