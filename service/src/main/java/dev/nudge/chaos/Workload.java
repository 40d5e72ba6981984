package dev.nudge.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Item;
import dev.nudge.event.PageVisited;
import dev.nudge.event.Unsubscribed;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The chaos run's traffic, generated from a seed with the mail each customer must get known in advance: shoppers who
 * leave a cart (one mail), buy within 25 minutes (none), opt out before or after their cart (none), among page visits
 * that trigger nothing; some carts and checkouts delivered twice, some checkouts late (within the allowed minute),
 * and a share of poison records.
 */
public final class Workload {

    /** What a customer's journey must lead to. */
    public enum Fate {
        /** Left the cart: exactly one mail. */
        MAIL,
        /** Bought within 25 minutes: no mail, ever. */
        BOUGHT,
        /** Opted out before the mail was due: no mail, ever. */
        OPTED_OUT
    }

    /** One record to send at {@code at} (event time; also its Kafka timestamp). */
    public record Send(long at, String key, byte[] value, boolean poison) {
    }

    /** The address every customer's profile gives: the sink maps a mail back to its customer by it. */
    public static final String DOMAIN = "chaos.test";
    private static final Duration JOURNEY = Duration.ofMinutes(45);

    private final List<Send> sends;
    private final Map<String, Fate> fates;
    private final int poison;

    private Workload(List<Send> sends, Map<String, Fate> fates, int poison) {
        this.sends = sends;
        this.fates = fates;
        this.poison = poison;
    }

    /** About {@code events} records spread over {@code span} of event time from {@code start}, in time order. */
    public static Workload generate(long events, Instant start, Duration span, long seed, ObjectMapper json) {
        if (span.compareTo(JOURNEY.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the chaos workload needs a span of at least " + JOURNEY.multipliedBy(2)
                    + " of event time (span = duration x speed), not " + span);
        }
        Random random = new Random(seed);
        EventWriter writer = new EventWriter(json);
        List<Send> sends = new ArrayList<>();
        Map<String, Fate> fates = new HashMap<>();
        long startMillis = start.toEpochMilli();
        long lastStart = span.minus(JOURNEY).toMillis();
        int poison = 0;
        for (int c = 0; sends.size() < events; c++) {
            String id = "c" + c;
            long t = startMillis + (long) (random.nextDouble() * lastStart);
            Journey j = new Journey(id, t, random, writer, sends);
            j.emit(new CustomerProfile(id + "-p", id, j.at(0), id + "@" + DOMAIN, "Shopper " + c, "en", "UTC", true,
                    Map.of()));
            double roll = random.nextDouble();
            Fate fate = roll < 0.45 ? Fate.MAIL : roll < 0.85 ? Fate.BOUGHT : Fate.OPTED_OUT;
            boolean optOutFirst = fate == Fate.OPTED_OUT && random.nextBoolean();
            int visits = 5 + random.nextInt(30);
            for (int v = 0; v < visits; v++) {
                j.emit(new PageVisited(id + "-v" + v, id, j.at(20_000 + v * 20_000L),
                        "https://shop.example/blog/" + random.nextInt(500)));
            }
            if (optOutFirst) {
                j.emit(new Unsubscribed(id + "-u", id, j.at(1_000), null));
            }
            long cartAt = 20_000 + visits * 20_000L;
            CartUpdated cart = new CartUpdated(id + "-c", id, j.at(cartAt), "cart-" + id,
                    List.of(new Item("p" + random.nextInt(100), "Product " + c, new BigDecimal("19.90"), 1, null, null)));
            j.emitMaybeTwice(cart);
            long after = cartAt + 60_000 + random.nextInt(24 * 60_000);
            if (fate == Fate.BOUGHT) {
                CheckoutCompleted order = new CheckoutCompleted(id + "-o", id, j.at(after), "cart-" + id, "order-" + id,
                        new BigDecimal("19.90"), "EUR");
                if (random.nextDouble() < 0.1) {
                    j.emitLate(order, 5_000 + random.nextInt(35_000));
                } else {
                    j.emitMaybeTwice(order);
                }
            } else if (fate == Fate.OPTED_OUT && !optOutFirst) {
                j.emit(new Unsubscribed(id + "-u", id, j.at(after), null));
            }
            fates.put(id, fate);
            if (random.nextDouble() < 0.03) {
                sends.add(new Send(j.at(random.nextInt(600_000)).toEpochMilli(), "poison-" + poison,
                        Poison.of(poison, random), true));
                poison++;
            }
        }
        sends.sort(Comparator.comparingLong(Send::at));
        return new Workload(sends, fates, poison);
    }

    public List<Send> sends() {
        return sends;
    }

    /** Every customer's fate, by customer id. */
    public Map<String, Fate> fates() {
        return fates;
    }

    public int poisonRecords() {
        return poison;
    }

    /** The customer an address of this workload belongs to, or null for any other address. */
    public static String customerOf(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && address.substring(at + 1).equalsIgnoreCase(DOMAIN) ? address.substring(0, at) : null;
    }

    /** One customer's events, stamped from the journey's start. */
    private record Journey(String id, long start, Random random, EventWriter writer, List<Send> sends) {

        Instant at(long offsetMillis) {
            return Instant.ofEpochMilli(start + offsetMillis);
        }

        void emit(CustomerEvent e) {
            sends.add(new Send(e.timestamp().toEpochMilli(), id, writer.write(e), false));
        }

        /** 3% of the time the same record comes again a minute or two later: a producer's retry, a replayed log. */
        void emitMaybeTwice(CustomerEvent e) {
            emit(e);
            if (random.nextDouble() < 0.03) {
                emitLate(e, 60_000 + random.nextInt(60_000));
            }
        }

        /** Sent {@code lateMillis} after its time: it arrives behind later events, still within the allowed minute. */
        void emitLate(CustomerEvent e, long lateMillis) {
            sends.add(new Send(e.timestamp().toEpochMilli() + lateMillis, id, writer.write(e), false));
        }
    }

    /** Records no parser should take: each goes to the dead letters with its reason, and the partition goes on. */
    static final class Poison {
        private Poison() {
        }

        static byte[] of(int n, Random random) {
            return switch (n % 8) {
                case 0 -> {
                    byte[] b = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(b);
                    yield b;
                }
                case 1 -> "{\"eventId\":\"x\",\"type\":\"CartUpd".getBytes(StandardCharsets.UTF_8);
                case 2 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
                case 3 -> new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
                case 4 -> ("{\"eventId\":\"poison-" + n + "\",\"type\":\"PageVisited\",\"customerId\":\"p\","
                        + "\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"url\":\"https://shop.example/\"}")
                        .getBytes(StandardCharsets.UTF_8);
                case 5 -> ("{\"eventId\":\"poison-" + n + "\",\"type\":\"PageVisited\",\"customerId\":\""
                        + "x".repeat(200_000) + "\",\"timestamp\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                case 6 -> ("{\"eventId\":\"poison-" + n + "\",\"type\":\"Teleported\",\"customerId\":\"p\","
                        + "\"timestamp\":\"2026-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
        }
    }
}
