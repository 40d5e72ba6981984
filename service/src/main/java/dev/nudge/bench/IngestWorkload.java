package dev.nudge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.demo.ShopperSimulator;
import dev.nudge.demo.SimulatedEvent;
import dev.nudge.demo.SimulatorConfig;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Item;
import dev.nudge.event.ProductViewed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The events of the ingest benchmark, each in the two forms a shop sends: Nudge's own JSON (for the Kafka producer and
 * the WebSocket) and the Segment call a Segment library would send for it (for {@code POST /v1/batch}). The simulated
 * shoppers' product views, carts and checkouts: what a shop's pages and servers send most, at their real sizes.
 */
final class IngestWorkload {

    /** One event: its customer (the Kafka key), its native JSON and its Segment call. */
    record Event(String customerId, byte[] nativeJson, ObjectNode segmentCall) {
    }

    private IngestWorkload() {
    }

    static List<Event> of(SimulatorConfig config, long count, ObjectMapper json) {
        EventWriter writer = new EventWriter(json);
        List<Event> out = new ArrayList<>((int) count);
        // more simulated deliveries than kept: account events (mails sent, consent) are left out, as are repeats
        Iterator<SimulatedEvent> sim = new ShopperSimulator(new SimulatorConfig(config.seed(), config.customers(),
                count * 3, config.start(), config.span(), 0, 0, config.maxDelay()));
        while (out.size() < count && sim.hasNext()) {
            SimulatedEvent s = sim.next();
            if (s.kind() == SimulatedEvent.Kind.DUPLICATE) {
                continue;
            }
            ObjectNode call = segmentCall(s.event(), json);
            if (call != null) {
                out.add(new Event(s.event().customerId(), writer.write(s.event()), call));
            }
        }
        if (out.size() < count) {
            throw new IllegalStateException("the simulator gave only " + out.size() + " shopping events");
        }
        return out;
    }

    /** The call Segment's e-commerce spec names for this event, or null for a kind the benchmark leaves out. */
    private static ObjectNode segmentCall(CustomerEvent e, ObjectMapper json) {
        ObjectNode call = json.createObjectNode().put("type", "track").put("messageId", e.eventId())
                .put("userId", e.customerId()).put("timestamp", e.timestamp().toString());
        ObjectNode p = call.putObject("properties");
        if (e instanceof ProductViewed v) {
            call.put("event", "Product Viewed");
            p.put("product_id", v.productId()).put("name", v.name()).put("price", v.price()).put("url", v.url())
                    .put("image_url", v.imageUrl());
        } else if (e instanceof CartUpdated c) {
            call.put("event", "Cart Viewed");
            p.put("cart_id", c.cartId());
            ArrayNode products = p.putArray("products");
            for (Item i : c.items()) {
                products.addObject().put("product_id", i.productId()).put("name", i.name()).put("price", i.price())
                        .put("quantity", i.quantity()).put("url", i.url()).put("image_url", i.imageUrl());
            }
        } else if (e instanceof CheckoutCompleted o) {
            call.put("event", "Order Completed");
            p.put("cart_id", o.cartId()).put("order_id", o.orderId()).put("total", o.total())
                    .put("currency", o.currency());
        } else {
            return null;
        }
        return call;
    }

    /** Average size of the native JSON, in bytes. */
    static double averageBytes(List<Event> events) {
        return events.stream().mapToInt(e -> e.nativeJson().length).average().orElse(0);
    }

    static String nativeText(Event e) {
        return new String(e.nativeJson(), StandardCharsets.UTF_8);
    }
}
