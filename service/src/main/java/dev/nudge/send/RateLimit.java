package dev.nudge.send;

/**
 * A token bucket, refilled continuously: the send stage's {@code perMinute} mails a minute, holding at most a tenth of
 * a minute's mails so a backlog goes out at the configured pace rather than in one burst; and any other pace with a
 * capacity of its own (a write key's events a second). Not thread-safe: its owner serialises the calls.
 */
public final class RateLimit {

    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimit(int perMinute, long nowMillis) {
        this(perMinute / 60_000.0, Math.max(1, perMinute / 10.0), nowMillis);
    }

    /** {@code perMilli} tokens a millisecond, at most {@code capacity} at once; full at the start. */
    public RateLimit(double perMilli, double capacity, long nowMillis) {
        this.perMilli = perMilli;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowMillis;
    }

    /** The most tokens the bucket ever holds. */
    public double capacity() {
        return capacity;
    }

    /** Takes a token if one is there. */
    public boolean tryTake(long nowMillis) {
        return tryTake(1, nowMillis);
    }

    /** Takes {@code n} tokens if they are all there. */
    public boolean tryTake(int n, long nowMillis) {
        refill(nowMillis);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Milliseconds until the next token, 0 when one is there. */
    public long millisUntilNext(long nowMillis) {
        return millisUntil(1, nowMillis);
    }

    /** Milliseconds until {@code n} tokens are there, 0 when they are. */
    public long millisUntil(int n, long nowMillis) {
        refill(nowMillis);
        return tokens >= n ? 0 : (long) Math.ceil((n - tokens) / perMilli);
    }

    private void refill(long nowMillis) {
        if (nowMillis > last) {
            tokens = Math.min(capacity, tokens + (nowMillis - last) * perMilli);
            last = nowMillis;
        }
    }
}
