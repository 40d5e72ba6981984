package dev.nudge.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.Topics;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.PartitionReader;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What earlier demo runs left in the broker, for a new run to carry on from: the newest event time (the shoppers live
 * faster than real time, so a run stopped an hour ago may have left events hours ahead of the clock, and a new run
 * starting at the wall clock would be behind them: every mail would be stale), how many runs there were, the carts
 * still open and the mails sent so far.
 *
 * @param newestEventTime the newest event time in the events topic, {@link Long#MIN_VALUE} when it holds none
 * @param run             this run's number: 1 on an empty broker, one more than the newest run's shoppers say after
 */
record ResumePoint(long newestEventTime, int run, int openCarts, int mailsSent) {

    /** The customers of run {@code n} (after the first) are {@code r<n>-cust-…}. */
    private static final Pattern RUN = Pattern.compile("^r(\\d+)-");

    /** Whether an earlier run left events. */
    boolean resumed() {
        return newestEventTime != Long.MIN_VALUE;
    }

    /** The prefix of this run's customer ids and addresses: none for the first run. */
    String customerPrefix() {
        return run <= 1 ? "" : "r" + run + "-";
    }

    /** Reads the events and ledger topics whole: a demo's topics are small enough, and only a demo does this. */
    static ResumePoint read(String bootstrap, Topics topics, ObjectMapper json) {
        EventParser parser = new EventParser(json);
        long[] newest = {Long.MIN_VALUE};
        int[] runs = {0};
        // per customer, each cart and whether it holds something
        Map<String, Map<String, Boolean>> carts = new HashMap<>();
        PartitionReader.readTopic(bootstrap, topics.events(), rec -> {
            runs[0] = Math.max(runs[0], runOf(rec.key()));
            // what the engine would make of it, Segment calls and offsets included; not ours to judge the rest
            if (rec.value() != null && parser.parse(rec.value()) instanceof ParseResult.Parsed p) {
                newest[0] = Math.max(newest[0], p.event().getEventTime());
                if (p.event() instanceof CartUpdated c) {
                    carts.computeIfAbsent(c.customerId(), k -> new HashMap<>()).put(c.cartId(), !c.isEmpty());
                } else if (p.event() instanceof CheckoutCompleted c && carts.containsKey(c.customerId())) {
                    if (c.cartId() == null) {
                        carts.remove(c.customerId());
                    } else {
                        carts.get(c.customerId()).remove(c.cartId());
                    }
                }
            }
        });
        Set<String> sent = new HashSet<>();
        PartitionReader.readTopic(bootstrap, topics.sent(), rec -> {
            try {
                JsonNode entry = rec.value() == null ? null : json.readTree(rec.value());
                if (entry != null && "sent".equals(entry.path("state").asText())) {
                    sent.add(rec.key());
                }
            } catch (java.io.IOException e) {
                // not a ledger entry: not a mail
            }
        });
        int open = (int) carts.values().stream().flatMap(m -> m.values().stream()).filter(b -> b).count();
        return new ResumePoint(newest[0], newest[0] == Long.MIN_VALUE ? 1 : Math.max(2, runs[0] + 1), open,
                sent.size());
    }

    private static int runOf(String key) {
        if (key == null) {
            return 0;
        }
        Matcher m = RUN.matcher(key);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }
}
