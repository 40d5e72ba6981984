package dev.nudge.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The write key every service under test accepts for {@code POST /events}, as a shop's library would send it. */
public final class Ingest {

    /** The key, allowed every event type. */
    public static final String KEY = "test-write-key-0123456789";
    /** HTTP Basic with the key as user name and no password, as Segment's libraries send it. */
    public static final String AUTH = basic(KEY);

    private Ingest() {
    }

    public static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }
}
