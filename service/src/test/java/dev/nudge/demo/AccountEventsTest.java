package dev.nudge.demo;

import dev.nudge.event.ConsentSignal;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EmailBounced;
import dev.nudge.event.EmailSent;
import dev.nudge.event.SpamComplaint;
import dev.nudge.event.Subscribed;
import dev.nudge.event.Unsubscribed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profiles, consent and mails from other senders ride along with visits: rare, consistent per customer, in order. */
class AccountEventsTest {

    // three days, so customers come back and some profiles are updates
    private static final SimulatorConfig DAYS = SimulatorConfig.of(11, 20_000, 200_000, Duration.ofDays(3));

    @Test
    void demoRestampsEveryAccountEventType() {
        Instant at = Instant.parse("2026-03-10T12:00:00Z");
        Set<Class<?>> seen = new HashSet<>();
        for (SimulatedEvent d : (Iterable<SimulatedEvent>) () -> new ShopperSimulator(DAYS)) {
            CustomerEvent e = d.event();
            CustomerEvent copy = Restamp.of(e, "run-", at);
            // the same event but for its id and time, so a second demo run is not taken for a replay
            assertEquals(e.getClass(), copy.getClass());
            assertEquals("run-" + e.eventId(), copy.eventId());
            assertEquals(at, copy.timestamp());
            seen.add(e.getClass());
        }
        assertEquals(10, seen.size(), "shopping and account event types: " + seen);
    }

    @Test
    void fewPerCustomerAndTheSameCustomerEachTime() {
        Map<Class<?>, Integer> types = new HashMap<>();
        Map<String, CustomerProfile> lastProfile = new HashMap<>();
        Set<Boolean> bounces = new HashSet<>();
        int updates = 0;
        int total = 0;
        for (SimulatedEvent d : (Iterable<SimulatedEvent>) () -> new ShopperSimulator(DAYS)) {
            total++;
            CustomerEvent e = d.event();
            if (d.kind() == SimulatedEvent.Kind.DUPLICATE || !(e instanceof CustomerProfile || e instanceof EmailSent
                    || e instanceof ConsentSignal)) {
                continue;
            }
            types.merge(e.getClass(), 1, Integer::sum);
            if (e instanceof CustomerProfile p) {
                CustomerProfile before = lastProfile.put(p.customerId(), p);
                if (before != null) {
                    updates++;
                    // who the customer is does not change from one profile to the next
                    assertEquals(before.timeZone(), p.timeZone());
                    assertEquals(before.marketingConsent(), p.marketingConsent());
                    assertEquals(before.email(), p.email());
                    assertEquals(before.attributes(), p.attributes());
                }
            } else if (e instanceof EmailBounced b) {
                bounces.add(b.hard());
            }
        }
        int account = types.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(account < 0.05 * total, "a few percent of events at most: " + account + " of " + total);
        assertTrue(types.keySet().containsAll(List.of(CustomerProfile.class, EmailSent.class, Unsubscribed.class,
                Subscribed.class, EmailBounced.class, SpamComplaint.class)), "every account event type: " + types);
        assertEquals(Set.of(true, false), bounces, "hard and soft bounces");
        assertTrue(updates > 10, "some profiles are updates: " + updates);
        long zoned = lastProfile.values().stream().map(CustomerProfile::timeZone).filter(Objects::nonNull).count();
        assertTrue(zoned > 0.05 * lastProfile.size() && zoned < 0.15 * lastProfile.size(),
                "a small share of customers in another time zone: " + zoned + " of " + lastProfile.size());
        assertTrue(lastProfile.values().stream().map(CustomerProfile::timeZone).filter(Objects::nonNull)
                .allMatch(z -> Arrays.asList("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo")
                        .contains(z)));
        assertTrue(lastProfile.values().stream().anyMatch(p -> Boolean.FALSE.equals(p.marketingConsent())),
                "some profiles say no to marketing mail");
    }
}
