package dev.nudge.http;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browser sessions of admins: random, unguessable values that expire, can be logged out, and never pile up. */
class AdminSessionsTest {

    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final AdminSessions sessions = new AdminSessions(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aSessionIsValidUntilItExpires() {
        String id = sessions.open();
        assertTrue(id.matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe: " + id);
        assertTrue(sessions.valid(id));
        now = now.plus(AdminSessions.TTL).minusSeconds(1);
        assertTrue(sessions.valid(id));
        now = now.plusSeconds(1);
        assertFalse(sessions.valid(id), "expired after " + AdminSessions.TTL);
    }

    @Test
    void logoutEndsOnlyThatSession() {
        String a = sessions.open();
        String b = sessions.open();
        sessions.close(a);
        assertFalse(sessions.valid(a));
        assertTrue(sessions.valid(b));
        sessions.close("never-opened");
        assertTrue(sessions.valid(b));
    }

    @Test
    void nothingButAnOpenedValueIsASession() {
        sessions.open();
        assertFalse(sessions.valid(null));
        assertFalse(sessions.valid(""));
        assertFalse(sessions.valid("s3cret-token"), "not the admin token, not anything else");
    }

    @Test
    void theOldestSessionsGoFirstPastTheLimit() {
        String first = sessions.open();
        now = now.plus(Duration.ofMillis(1));
        String second = sessions.open();
        Set<String> all = new HashSet<>();
        for (int i = 0; i < AdminSessions.MAX - 1; i++) {
            now = now.plus(Duration.ofMillis(1));
            all.add(sessions.open());
        }
        assertEquals(AdminSessions.MAX - 1, all.size(), "every value new");
        assertFalse(sessions.valid(first), "dropped for the newest");
        assertTrue(sessions.valid(second));
        assertTrue(all.stream().allMatch(sessions::valid));
    }

    @Test
    void afterLoginTheFormGoesToAPathOfThisServerOnly() {
        assertEquals("/live", LoginRoutes.next("/live"));
        assertEquals("/customers/ana/decisions", LoginRoutes.next("/customers/ana/decisions"));
        assertEquals("/", LoginRoutes.next(null));
        assertEquals("/", LoginRoutes.next("https://evil.example/"));
        assertEquals("/", LoginRoutes.next("//evil.example/"));
        assertEquals("/", LoginRoutes.next("/\\evil.example/"));
        assertEquals("/", LoginRoutes.next("/live\r\nSet-Cookie: x=y"));
    }
}
