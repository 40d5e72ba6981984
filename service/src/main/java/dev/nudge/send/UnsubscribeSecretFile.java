package dev.nudge.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The unsubscribe secret of a try-out without {@code send.unsubscribe-secret}: made once and kept in a file beside the
 * embedded broker's data, so the links of the mails it sent keep working after a restart, for as long as those mails
 * are kept too. Only the owner may read the file: whoever knows the secret can unsubscribe anybody.
 */
public final class UnsubscribeSecretFile {

    /** The file's name in the broker's data folder. */
    public static final String NAME = "unsubscribe-secret";

    /** The secret and whether this call made it (false: an earlier run did). */
    public record Kept(String secret, Path file, boolean created) {
    }

    private UnsubscribeSecretFile() {
    }

    /** The secret kept in {@code dir}, made and written there (owner-only) when there is none yet. */
    public static Kept keep(Path dir) {
        Path file = dir.toAbsolutePath().resolve(NAME);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                String secret = random();
                try {
                    write(file, secret);
                    return new Kept(secret, file, true);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs, or its links would stop working
                }
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 16) {
                throw new IllegalStateException(file + " does not hold an unsubscribe secret of at least 16 "
                        + "characters: delete it to make a new one (the links of mails sent before stop working) or set "
                        + "send.unsubscribe-secret");
            }
            return new Kept(secret, file, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the unsubscribe secret in " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static String random() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Created with owner-only permissions from the start, so the secret is never readable by others, not briefly. */
    private static void write(Path file, String secret) throws IOException {
        byte[] bytes = (secret + "\n").getBytes(StandardCharsets.UTF_8);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }
}
