package dev.nudge.http;

/**
 * One browser watching the live stream, written to without ever buffering without bound: while its connection's
 * write queue is full, messages for it are dropped and counted, and once it drains it first gets one
 * {@code {"type":"gap","dropped":n}} message so the page can say it missed some (the funnel counts come again with
 * the next funnel message, whole).
 */
final class LiveSubscriber {

    /** Where a subscriber's messages go: a WebSocket, or a test's list. */
    interface Outlet {
        boolean full();

        void write(String text);
    }

    private final Outlet outlet;
    private long dropped;

    LiveSubscriber(Outlet outlet) {
        this.outlet = outlet;
    }

    /** Writes the message, or drops it when the connection cannot take more now. */
    void offer(String message) {
        if (outlet.full()) {
            dropped++;
            return;
        }
        if (dropped > 0) {
            outlet.write("{\"type\":\"gap\",\"dropped\":" + dropped + "}");
            dropped = 0;
            if (outlet.full()) {
                dropped++;
                return;
            }
        }
        outlet.write(message);
    }

    long dropped() {
        return dropped;
    }
}
