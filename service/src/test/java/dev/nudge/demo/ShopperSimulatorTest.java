package dev.nudge.demo;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.PageVisited;
import dev.nudge.event.ProductViewed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator is the benchmark's and the demo's input: it must be reproducible and look like a shop. */
class ShopperSimulatorTest {

    private static final SimulatorConfig DAY = SimulatorConfig.of(7, 2_000, 20_000, Duration.ofDays(1));

    @Test
    void sameSeedGivesSameStream() {
        List<SimulatedEvent> a = new ShopperSimulator(DAY).stream().limit(3_000).toList();
        List<SimulatedEvent> b = new ShopperSimulator(DAY).stream().limit(3_000).toList();
        assertEquals(a, b);
        List<SimulatedEvent> other = new ShopperSimulator(new SimulatorConfig(8, 2_000, 20_000,
                DAY.start(), DAY.span(), 0.01, 0.01, Duration.ofSeconds(30))).stream().limit(3_000).toList();
        assertNotEquals(a, other);
    }

    @Test
    void givesRequestedCountsRatesAndUniqueIds() {
        Set<String> ids = new HashSet<>();
        Map<Class<?>, Integer> types = new HashMap<>();
        Map<String, Integer> viewsOfProduct = new HashMap<>();
        int duplicates = 0;
        int late = 0;
        int outOfOrder = 0;
        int pricing = 0;
        int total = 0;
        long newest = 0;
        int[] perHour = new int[26]; // visits that start just before midnight end after it
        for (SimulatedEvent d : (Iterable<SimulatedEvent>) () -> new ShopperSimulator(DAY)) {
            total++;
            CustomerEvent e = d.event();
            long time = e.getEventTime();
            assertTrue(time >= newest - 30_000, "never more than 30 s behind: " + d);
            assertTrue(d.arrivalMillis() >= time && d.arrivalMillis() <= time + 30_000, "arrives within 30 s: " + d);
            outOfOrder += time < newest ? 1 : 0;
            newest = Math.max(newest, time);
            if (d.kind() == SimulatedEvent.Kind.DUPLICATE) {
                duplicates++;
                assertTrue(ids.contains(e.eventId()), "a duplicate repeats an event already delivered");
                continue;
            }
            late += d.kind() == SimulatedEvent.Kind.LATE ? 1 : 0;
            assertTrue(ids.add(e.eventId()), "event ids are unique apart from duplicates: " + e.eventId());
            types.merge(e.getClass(), 1, Integer::sum);
            perHour[(int) ((time - DAY.start().toEpochMilli()) / 3_600_000L)]++;
            if (e instanceof ProductViewed v) {
                viewsOfProduct.merge(v.customerId() + "/" + v.productId(), 1, Integer::sum);
            } else if (e instanceof PageVisited p && p.url().matches(".*/pricing([/?#].*)?")) {
                pricing++;
            } else if (e instanceof CheckoutCompleted c) {
                assertTrue(c.total().signum() > 0 && "EUR".equals(c.currency()) && c.orderId() != null);
            } else if (e instanceof CartUpdated c) {
                assertTrue(c.items().stream().allMatch(i -> i.price() != null && i.url() != null
                        && i.imageUrl() != null && i.quantity() > 0));
            }
        }
        assertTrue(total > 19_600 && total <= 20_000, "about the requested count: " + total);
        assertTrue(duplicates > 100 && duplicates < 320, "about 1% duplicates: " + duplicates);
        assertTrue(late > 100 && late < 320, "about 1% late: " + late);
        assertTrue(outOfOrder > 0 && outOfOrder <= late + duplicates, "out of order: " + outOfOrder);
        assertTrue(types.keySet().containsAll(List.of(PageVisited.class, ProductViewed.class, CartUpdated.class,
                CheckoutCompleted.class)), "all four shopping event types: " + types);
        assertTrue(types.getOrDefault(CustomerProfile.class, 0) > 100, "profiles of known customers: " + types);
        assertTrue(types.get(CheckoutCompleted.class) > 100 && types.get(CartUpdated.class) > 500, types.toString());
        assertTrue(pricing > 50, "pricing pages: " + pricing);
        assertTrue(viewsOfProduct.values().stream().filter(n -> n >= 3).count() > 50, "some view a product 3+ times");
        assertTrue(perHour[20] > 3 * perHour[3], "evenings are busier than nights: " + perHour[20] + " vs " + perHour[3]);
        assertTrue(perHour[0] > 0 && perHour[22] > 0, "the whole day is covered");
    }
}
