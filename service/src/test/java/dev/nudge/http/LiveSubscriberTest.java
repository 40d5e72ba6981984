package dev.nudge.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A browser that does not keep up loses messages, counted and told, and nothing waits for it in memory. */
class LiveSubscriberTest {

    private final List<String> written = new ArrayList<>();
    private boolean full;
    private final LiveSubscriber subscriber = new LiveSubscriber(new LiveSubscriber.Outlet() {
        @Override
        public boolean full() {
            return full;
        }

        @Override
        public void write(String text) {
            written.add(text);
        }
    });

    @Test
    void whileTheConnectionIsFullMessagesAreDroppedAndTheGapIsToldOnceItDrains() {
        subscriber.offer("m1");
        full = true;
        for (int i = 0; i < 10_000; i++) {
            subscriber.offer("lost");
        }
        assertEquals(List.of("m1"), written, "nothing written, nothing kept");
        assertEquals(10_000, subscriber.dropped());
        full = false;
        subscriber.offer("m2");
        subscriber.offer("m3");
        assertEquals(List.of("m1", "{\"type\":\"gap\",\"dropped\":10000}", "m2", "m3"), written);
        assertEquals(0, subscriber.dropped());
    }
}
