package dev.nudge.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Item;
import dev.nudge.event.Json;
import dev.nudge.kafka.KafkaProps;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The send benchmark's decisions, as the engine writes them to the decisions topic (the {@link Decision} record in
 * Nudge's JSON, keyed by customer): three in four abandoned carts of one to three lines, one in four browsed products,
 * each with a recipient; a share of them delivered a second time, some right after, some up to
 * {@link #MAX_DUPLICATE_DISTANCE} records later. The same seed gives the same decisions.
 */
final class SendWorkload {

    /** The engine stage's mix: about 22,000 cart mails to 7,100 browse mails per million events. */
    static final double CART_SHARE = 0.75;
    /** The campaigns of the decisions: carts, and products viewed. */
    static final List<String> CAMPAIGNS = List.of("cart-abandonment", "browse-abandonment");
    /** How far behind its original a duplicate may come (a producer retry comes next, a replay later). */
    static final int MAX_DUPLICATE_DISTANCE = 2_000;

    private static final String SHOP = "https://shop.example";
    private static final String[][] PRODUCTS = {
            {"shoe-42", "Trail running shoe", "89.90"}, {"tent-2p", "Two-person tent", "249.00"},
            {"bottle-1l", "Steel bottle 1 l", "19.50"}, {"jacket-rain", "Rain jacket", "129.00"},
            {"sock-merino", "Merino socks", "14.90"}, {"pack-30", "Day pack 30 l", "79.00"},
            {"lamp-head", "Head lamp", "34.90"}, {"bag-sleep", "Sleeping bag", "189.00"},
            {"mug-ti", "Titanium mug", "24.00"}, {"watch-gps", "GPS watch", "299.00"},
    };
    private static final String[] NAMES = {"Ana", "Ben", "Chloé", "Dan", "Eva", "Finn", "Grete", "Hugo", "Ines",
            "Jon"};

    /** What was written: every record, the decisions (each must become exactly one mail) and their copies. */
    record Written(long records, int unique, int duplicates, Map<String, Integer> byCampaign) {
    }

    private final int mails;
    private final int customers;
    private final double duplicateRate;
    private final long seed;
    private final ObjectMapper json = Json.mapper();

    SendWorkload(int mails, int customers, double duplicateRate, long seed) {
        this.mails = mails;
        this.customers = customers;
        this.duplicateRate = duplicateRate;
        this.seed = seed;
    }

    int mails() {
        return mails;
    }

    /** Writes every decision and copy to {@code topic} and waits until the broker has them all. */
    Written produce(String bootstrap, String topic) {
        Records records = records(topic);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            while (records.hasNext()) {
                producer.send(records.next());
            }
            producer.flush();
        }
        return records.written();
    }

    /** The records in the order they are written, duplicates in their places; counted as they are taken. */
    Records records(String topic) {
        return new Records(topic);
    }

    /** The decisions of the workload, then the copies still due, as records for {@code topic}. */
    final class Records implements Iterator<ProducerRecord<String, byte[]>> {
        private final String topic;
        private final SplittableRandom rng = new SplittableRandom(seed);
        // copies waiting for their position, by the position they are due at
        private final PriorityQueue<Copy> due = new PriorityQueue<>(Comparator.comparingLong(Copy::at));
        private final Map<String, Integer> byCampaign = new LinkedHashMap<>();
        private int decided;
        private int duplicates;
        private long written;

        private record Copy(long at, ProducerRecord<String, byte[]> record) {
        }

        private Records(String topic) {
            this.topic = topic;
        }

        @Override
        public boolean hasNext() {
            return decided < mails || !due.isEmpty();
        }

        @Override
        public ProducerRecord<String, byte[]> next() {
            if (!due.isEmpty() && (due.peek().at() <= written || decided == mails)) {
                written++;
                duplicates++;
                return due.poll().record();
            }
            if (decided == mails) {
                throw new NoSuchElementException();
            }
            Decision d = decision(decided++, rng);
            byCampaign.merge(d.campaign(), 1, Integer::sum);
            ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, d.customerId(), bytes(d));
            written++;
            if (rng.nextDouble() < duplicateRate) {
                // half come next (a producer retry), half within the next MAX_DUPLICATE_DISTANCE records (a replay)
                due.add(new Copy(written + (rng.nextBoolean() ? 0 : rng.nextInt(MAX_DUPLICATE_DISTANCE)), rec));
            }
            return rec;
        }

        /** What has been taken so far; copies count once written, not when planned. */
        Written written() {
            return new Written(written, decided, duplicates, Map.copyOf(byCampaign));
        }
    }

    private Decision decision(int i, SplittableRandom rng) {
        String customer = String.format("cust-%06d", rng.nextInt(customers));
        String name = NAMES[rng.nextInt(NAMES.length)];
        // one in ten customers reads German number formatting (1.234,50): the templates format per locale
        String locale = rng.nextInt(10) == 0 ? "de-DE" : null;
        Recipient to = new Recipient(customer + "@example.com", name, locale, Map.of());
        String id = UUID.nameUUIDFromBytes(("bench-send\u0000" + seed + "\u0000" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
        boolean cart = rng.nextDouble() < CART_SHARE;
        Map<String, Object> payload = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        if (cart) {
            String cartId = "cart-" + customer + "-" + i;
            List<Item> items = new ArrayList<>();
            int lines = 1 + rng.nextInt(3);
            for (int l = 0; l < lines; l++) {
                String[] p = PRODUCTS[rng.nextInt(PRODUCTS.length)];
                items.add(new Item(p[0], p[1], new BigDecimal(p[2]), 1 + rng.nextInt(2), SHOP + "/p/" + p[0],
                        SHOP + "/img/" + p[0] + ".jpg"));
            }
            payload.put("cartId", cartId);
            payload.put("items", items);
            events.add("ev-" + i + "-cart");
        } else {
            String[] p = PRODUCTS[rng.nextInt(PRODUCTS.length)];
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("productId", p[0]);
            product.put("name", p[1]);
            product.put("price", new BigDecimal(p[2]));
            product.put("url", SHOP + "/p/" + p[0]);
            product.put("imageUrl", SHOP + "/img/" + p[0] + ".jpg");
            payload.put("product", product);
            for (int v = 0; v < 3; v++) {
                events.add("ev-" + i + "-view-" + v);
            }
        }
        return new Decision(id, DecisionKind.MAIL, null, customer, CAMPAIGNS.get(cart ? 0 : 1),
                cart ? "CartAbandonedAfter30Minutes" : "BrowseAbandonedAfterThreeViews", "bench", Instant.now(), null,
                null, events, payload, to);
    }

    private byte[] bytes(Decision d) {
        try {
            return json.writeValueAsBytes(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decision always writes", e);
        }
    }

    /** A producer set up as the engine's (acks=all, idempotent, linger 2 ms), with larger batches for loading. */
    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> props = new HashMap<>(KafkaProps.producer(bootstrap, Map.of()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        return new KafkaProducer<>(props);
    }
}
