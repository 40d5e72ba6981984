package dev.nudge.http;

import dev.nudge.config.NudgeConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin sessions of browsers that logged in with the admin token ({@code POST /login}): each is a random value of
 * 256 bits, kept in memory for {@link #TTL}, that the session cookie carries instead of the token. A restart logs
 * every browser out; at most {@link #MAX} sessions live at once, the oldest going first.
 */
final class AdminSessions {

    static final String COOKIE = "nudge_admin";
    static final Duration TTL = Duration.ofHours(12);
    static final int MAX = 1000;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    AdminSessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session's value, valid for {@link #TTL}. */
    String open() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.millis();
        expiries.values().removeIf(at -> at <= now);
        while (expiries.size() >= MAX) {
            expiries.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(e -> expiries.remove(e.getKey()));
        }
        expiries.put(id, now + TTL.toMillis());
        return id;
    }

    /** True for the value of a session opened here that has not expired or been closed. */
    boolean valid(String id) {
        if (id == null) {
            return false;
        }
        Long at = expiries.get(id);
        if (at == null) {
            return false;
        }
        if (at <= clock.millis()) {
            expiries.remove(id);
            return false;
        }
        return true;
    }

    /** Logs the session out; an unknown value changes nothing. */
    void close(String id) {
        if (id != null) {
            expiries.remove(id);
        }
    }

    /** True for the admin token itself (compared in constant time), when one is configured. */
    static boolean isToken(NudgeConfig.HttpConfig http, String given) {
        return http.adminEnabled() && given != null && MessageDigest.isEqual(
                given.trim().getBytes(StandardCharsets.UTF_8), http.adminToken().getBytes(StandardCharsets.UTF_8));
    }
}
