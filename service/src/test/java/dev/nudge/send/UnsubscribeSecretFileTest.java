package dev.nudge.send;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The try-out's unsubscribe secret: made once, owner-only, the same on every later run, never silently replaced. */
class UnsubscribeSecretFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstRunMakesAnOwnerOnlySecretAndLaterRunsReadTheSame() throws Exception {
        Path data = dir.resolve("nudge-kafka");
        UnsubscribeSecretFile.Kept first = UnsubscribeSecretFile.keep(data);
        assertTrue(first.created());
        assertEquals(data.toAbsolutePath().resolve("unsubscribe-secret"), first.file());
        assertTrue(first.secret().length() >= 40, "32 random bytes: " + first.secret());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        new UnsubscribeTokens(first.secret());

        UnsubscribeSecretFile.Kept second = UnsubscribeSecretFile.keep(data);
        assertFalse(second.created());
        assertEquals(first.secret(), second.secret());
        assertFalse(first.secret().equals(UnsubscribeSecretFile.keep(dir.resolve("elsewhere")).secret()),
                "another data folder, another secret");
    }

    @Test
    void aFileThatHoldsNoUsableSecretStopsTheStartRatherThanBeingReplaced() throws Exception {
        Files.writeString(dir.resolve("unsubscribe-secret"), "short\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> UnsubscribeSecretFile.keep(dir));
        assertTrue(e.getMessage().contains("delete it to make a new one"), e.getMessage());
        assertEquals("short\n", Files.readString(dir.resolve("unsubscribe-secret")), "left as it was");
    }
}
