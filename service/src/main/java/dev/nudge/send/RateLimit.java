package dev.nudge.send;

/**
 * A token bucket of {@code perMinute} mails a minute, refilled continuously, holding at most a tenth of a minute's
 * mails, so a backlog goes out at the configured pace rather than in one burst. Not thread-safe: one verticle owns it.
 */
public final class RateLimit {

    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimit(int perMinute, long nowMillis) {
        this.perMilli = perMinute / 60_000.0;
        this.capacity = Math.max(1, perMinute / 10.0);
        this.tokens = capacity;
        this.last = nowMillis;
    }

    /** Takes a token if one is there. */
    public boolean tryTake(long nowMillis) {
        refill(nowMillis);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Milliseconds until the next token, 0 when one is there. */
    public long millisUntilNext(long nowMillis) {
        refill(nowMillis);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMilli);
    }

    private void refill(long nowMillis) {
        if (nowMillis > last) {
            tokens = Math.min(capacity, tokens + (nowMillis - last) * perMilli);
            last = nowMillis;
        }
    }
}
