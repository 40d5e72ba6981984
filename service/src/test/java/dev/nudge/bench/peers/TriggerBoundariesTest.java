package dev.nudge.bench.peers;

import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.Item;
import dev.nudge.event.ProductViewed;
import dev.nudge.engine.RuleCompiler;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The triggers' edges, where a random stream seldom lands: each row is one customer's events, with the mails the
 * definition in {@link TriggerOracle} expects; the oracle, Esper, plain Drools and Nudge's engine must each decide
 * exactly those.
 */
class TriggerBoundariesTest {

    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final long MS = 1;
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    private final List<CustomerEvent> events = new ArrayList<>();
    private final Set<Mail> expected = new HashSet<>();
    private int ids;

    TriggerBoundariesTest() {
        // cart left alone: mailed 30 minutes later
        cart("c01", "k1", 0, "p1");
        expect("c01", Mail.CART, "k1", 30 * MIN);
        // changed again at exactly +30 min: the change counts, so only the later update is mailed
        cart("c02", "k1", 0, "p1");
        cart("c02", "k1", 30 * MIN, "p1", "p2");
        expect("c02", Mail.CART, "k1", 60 * MIN);
        // changed 1 ms too late: the first is mailed, and the second falls to the 16 h cap
        cart("c03", "k1", 0, "p1");
        cart("c03", "k1", 30 * MIN + MS, "p1", "p2");
        expect("c03", Mail.CART, "k1", 30 * MIN);
        // bought at exactly +30 min, the checkout naming no cart: no mail
        cart("c04", "k1", 0, "p1");
        checkout("c04", null, 30 * MIN);
        // another cart bought: this one is still mailed
        cart("c05", "k1", 0, "p1");
        checkout("c05", "k9", 10 * MIN);
        expect("c05", Mail.CART, "k1", 30 * MIN);
        // an emptied cart: no mail for it, nor for the update it replaced
        cart("c06", "k1", 0, "p1");
        cart("c06", "k1", MIN);
        // three views in 20 minutes: mailed an hour after the last
        view("c07", "p1", 0);
        view("c07", "p1", 10 * MIN);
        view("c07", "p1", 20 * MIN);
        expect("c07", Mail.BROWSE, "p1", 20 * MIN + HOUR);
        // the first of three views exactly an hour before the last still counts
        view("c08", "p1", 0);
        view("c08", "p1", 30 * MIN);
        view("c08", "p1", HOUR);
        expect("c08", Mail.BROWSE, "p1", 2 * HOUR);
        // 1 ms more and it does not
        view("c09", "p1", 0);
        view("c09", "p1", 30 * MIN);
        view("c09", "p1", HOUR + MS);
        // a fourth view at exactly +1 h after the third cancels its mail, and has only one view in its own hour before
        view("c10", "p1", 0);
        view("c10", "p1", 10 * MIN);
        view("c10", "p1", 20 * MIN);
        view("c10", "p1", 20 * MIN + HOUR);
        // a cart holding the product exactly an hour before the last view blocks the mail (emptied at once, so the
        // cart is not mailed either)
        cart("c11", "k1", 0, "p1");
        cart("c11", "k1", MIN);
        view("c11", "p1", 30 * MIN);
        view("c11", "p1", 40 * MIN);
        view("c11", "p1", HOUR);
        // so does one exactly an hour after it
        view("c12", "p1", 0);
        view("c12", "p1", 10 * MIN);
        view("c12", "p1", 20 * MIN);
        cart("c12", "k1", 20 * MIN + HOUR, "p1");
        cart("c12", "k1", 21 * MIN + HOUR);
        // a cart holding another product does not
        view("c13", "p1", 0);
        view("c13", "p1", 10 * MIN);
        view("c13", "p1", 20 * MIN);
        cart("c13", "k1", 30 * MIN, "p2");
        cart("c13", "k1", 31 * MIN);
        expect("c13", Mail.BROWSE, "p1", 20 * MIN + HOUR);
        // the cap: a second mail due exactly 16 h after the first is dropped, one due 1 ms later is sent
        cart("c14", "k1", 0, "p1");
        cart("c14", "k2", 16 * HOUR, "p1");
        cart("c14", "k3", 32 * HOUR + MS, "p1");
        expect("c14", Mail.CART, "k1", 30 * MIN);
        expect("c14", Mail.CART, "k3", 32 * HOUR + MS + 30 * MIN);
        // the first due wins the cap, whichever trigger: a browse mail due before a cart mail
        view("c15", "p1", 0);
        view("c15", "p1", MIN);
        view("c15", "p1", 2 * MIN);
        cart("c15", "k1", 40 * MIN, "p2");
        expect("c15", Mail.BROWSE, "p1", 2 * MIN + HOUR);
        // a repeated delivery is the same view: two views, no mail
        view("c16", "p1", 0);
        CustomerEvent second = view("c16", "p1", 10 * MIN);
        events.add(second);
    }

    @Test
    void theOracleFollowsTheDefinition() {
        assertSameMails(TriggerOracle.mails(stream(), Duration.ofHours(24).toMillis()));
    }

    @Test
    void esperDecidesTheSame() {
        try (EsperPeer esper = new EsperPeer(T0 - HOUR, Duration.ofHours(24).toMillis())) {
            assertSameMails(run(esper));
        }
    }

    @Test
    void plainDroolsDecidesTheSame() {
        try (DroolsPeer drools = new DroolsPeer(T0 - HOUR, Duration.ofHours(24).toMillis())) {
            assertSameMails(run(drools));
        }
    }

    /** No profiles, consent or other triggers here: the shipped rules' guards let every one of these mails through. */
    @Test
    void nudgesEngineDecidesTheSame() throws Exception {
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(Path.of("../rules"));
        assertTrue(compiled.ok(), () -> "rules: " + compiled.errors());
        try (NudgePeer nudge = new NudgePeer(compiled.rules(), Duration.ofMinutes(1), Duration.ofHours(24).toMillis(),
                stream())) {
            assertSameMails(run(nudge));
        }
    }

    private List<Mail> run(PeerEngine engine) {
        List<CustomerEvent> s = stream();
        s.forEach(engine::accept);
        return engine.finish(s.get(s.size() - 1).getEventTime() + Duration.ofDays(4).toMillis());
    }

    /** Every row's events in event-time order, a repeat right after its original (a stable sort keeps it there). */
    private List<CustomerEvent> stream() {
        List<CustomerEvent> s = new ArrayList<>(events);
        s.sort(Comparator.comparingLong(CustomerEvent::getEventTime));
        return s;
    }

    private void assertSameMails(List<Mail> got) {
        assertEquals(expected.stream().sorted().toList(), got.stream().sorted().toList());
    }

    private void expect(String customer, String campaign, String key, long at) {
        expected.add(new Mail(customer, campaign, key, T0 + at));
    }

    private void cart(String customer, String cartId, long at, String... products) {
        List<Item> items = new ArrayList<>();
        for (String p : products) {
            items.add(new Item(p, p, BigDecimal.TEN, 1, null, null));
        }
        events.add(new CartUpdated(id(), customer, Instant.ofEpochMilli(T0 + at), cartId, items));
    }

    private void checkout(String customer, String cartId, long at) {
        events.add(new CheckoutCompleted(id(), customer, Instant.ofEpochMilli(T0 + at), cartId, "o" + ids,
                BigDecimal.TEN, "EUR"));
    }

    private CustomerEvent view(String customer, String product, long at) {
        CustomerEvent e = new ProductViewed(id(), customer, Instant.ofEpochMilli(T0 + at), product, product,
                BigDecimal.TEN, null, null);
        events.add(e);
        return e;
    }

    private String id() {
        return "e" + ++ids;
    }
}
