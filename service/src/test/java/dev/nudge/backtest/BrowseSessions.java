package dev.nudge.backtest;

import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.ProductViewed;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recorded-style traffic whose browse decisions are known: 50 customers over six days, one session each of 1, 2, 2, 2
 * or 3 views (10 minutes apart) of one product, with a profile that allows mail. Under the three-view rule the 10
 * three-view sessions are mailed; with two views enough, the 30 two-view sessions are added, an hour after their last
 * view.
 */
public record BrowseSessions(List<CustomerEvent> events, Map<String, Instant> twoViewsLast, Set<String> threeViews) {

    public static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

    public static BrowseSessions make() {
        List<CustomerEvent> events = new ArrayList<>();
        Map<String, Instant> twoViewsLast = new TreeMap<>();
        Set<String> threeViews = new TreeSet<>();
        int[] views = {1, 2, 2, 2, 3};
        for (int i = 0; i < 50; i++) {
            String customer = "c" + i;
            Instant at = START.plus(Duration.ofHours(3L * i));
            events.add(new CustomerProfile("p-" + customer, customer, at, customer + "@mail.example", null, null,
                    null, true, Map.of()));
            int k = views[i % views.length];
            Instant last = null;
            for (int v = 0; v < k; v++) {
                last = at.plus(Duration.ofMinutes(1 + 10L * v));
                events.add(new ProductViewed("v-" + customer + "-" + v, customer, last, "lamp-" + i, "Desk lamp",
                        new BigDecimal("39.00"), null, null));
            }
            if (k == 2) {
                twoViewsLast.put(customer, last);
            } else if (k == 3) {
                threeViews.add(customer);
            }
        }
        return new BrowseSessions(events, twoViewsLast, threeViews);
    }
}
