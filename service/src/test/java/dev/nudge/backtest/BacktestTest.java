package dev.nudge.backtest;

import dev.nudge.demo.DemoTraffic;
import dev.nudge.demo.SimulatedEvent;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Json;
import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacktestTest {

    private static final Instant START = BrowseSessions.START;
    private static final EngineSettings SETTINGS = EngineSettings.of(Duration.ofMinutes(1), Duration.ofHours(24));

    @TempDir
    Path tmp;

    /**
     * Lowering the browse trigger from three views to two: the added decisions are exactly the customers whose only
     * session was exactly two views (each mailed an hour after the second view), nothing else moves, and browse mails
     * more than doubling (10 to 40) is flagged.
     */
    @Test
    void lowerBrowseThresholdAddsExactlyTheTwoViewSessions() throws IOException {
        BrowseSessions sessions = BrowseSessions.make();
        List<CustomerEvent> events = sessions.events();
        Map<String, Instant> twoViewsLast = sessions.twoViewsLast();
        Set<String> threeViews = sessions.threeViews();
        Path file = write(events);
        Path candidate = copyOfRules(tmp.resolve("candidate"), "browse-abandonment.drl", "$earlier >= 2", "$earlier >= 1");

        BacktestResult r = backtest(file, Duration.ofDays(7), candidate);

        assertEquals(events.size(), r.events());
        List<BacktestResult.Difference> added = r.differences(BacktestResult.Difference.ADDED);
        assertEquals(twoViewsLast.keySet(), added.stream().map(BacktestResult.Difference::customerId)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(twoViewsLast.size(), added.size());
        for (BacktestResult.Difference d : added) {
            assertEquals("browse-abandonment", d.campaign());
            assertEquals("mail", d.after().kind());
            assertEquals(twoViewsLast.get(d.customerId()).plus(Duration.ofHours(1)), d.after().at(), d.toString());
        }
        assertEquals(List.of(), r.differences(BacktestResult.Difference.REMOVED));
        assertEquals(List.of(), r.differences(BacktestResult.Difference.CHANGED));
        BacktestResult.Campaign browse = r.campaigns().stream()
                .filter(c -> c.campaign().equals("browse-abandonment")).findFirst().orElseThrow();
        assertEquals(threeViews.size(), browse.mailsBefore());
        assertEquals(threeViews.size() + twoViewsLast.size(), browse.mailsAfter());
        assertEquals("mails more than doubled (10 -> 40)", browse.flag());
        String text = BacktestText.render(r);
        assertTrue(text.contains("FLAG browse-abandonment: mails more than doubled (10 -> 40)"), text);
        assertTrue(text.contains("browse-abandonment, added (30, first 5):"), text);
    }

    /**
     * Waiting 2 hours instead of 30 minutes before a cart counts as abandoned adds no decision; it removes exactly the
     * decisions about carts changed again 45 minutes later (no longer the cart's last state within the wait), and a
     * cart changed once is mailed 2 hours after instead of 30 minutes.
     */
    @Test
    void aWiderCartWindowRemovesExactlyTheCartsChangedAgainInBetween() throws IOException {
        List<CustomerEvent> events = new ArrayList<>();
        Set<String> changedAgain = new java.util.TreeSet<>();
        Map<String, Instant> once = new java.util.TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String customer = "k" + i;
            Instant at = START.plus(Duration.ofHours(4L * i));
            events.add(new dev.nudge.event.CustomerProfile("p-" + customer, customer, at, customer + "@mail.example",
                    null, null, null, true, Map.of()));
            Instant first = at.plusSeconds(60);
            events.add(cart("c1-" + customer, customer, first, 1));
            if (i % 2 == 0) {
                events.add(cart("c2-" + customer, customer, first.plus(Duration.ofMinutes(45)), 2));
                changedAgain.add(customer);
            } else {
                once.put(customer, first);
            }
        }
        Path candidate = copyOfRules(tmp.resolve("wider"), "cart-abandonment.drl", "this after[1ms, 30m] $cart",
                "this after[1ms, 2h] $cart");
        Files.writeString(candidate.resolve("cart-abandonment.drl"), Files.readString(candidate.resolve(
                "cart-abandonment.drl")).replace("this after[0s, 30m] $cart", "this after[0s, 2h] $cart"));

        BacktestResult r = backtest(write(events), Duration.ofDays(7), candidate);

        assertEquals(List.of(), r.differences(BacktestResult.Difference.ADDED));
        List<BacktestResult.Difference> removed = r.differences(BacktestResult.Difference.REMOVED);
        assertEquals(changedAgain, removed.stream().map(BacktestResult.Difference::customerId)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(changedAgain.size(), removed.size());
        for (BacktestResult.Difference d : removed) {
            assertEquals("mail", d.before().kind(), d.toString());
        }
        for (var e : once.entrySet()) {
            BacktestResult.Difference d = r.differences(BacktestResult.Difference.CHANGED).stream()
                    .filter(c -> c.customerId().equals(e.getKey())).findFirst().orElseThrow();
            assertEquals(e.getValue().plus(Duration.ofMinutes(30)), d.before().at());
            assertEquals(e.getValue().plus(Duration.ofHours(2)), d.after().at());
            assertEquals("mail", d.after().kind());
        }
    }

    private static dev.nudge.event.CartUpdated cart(String id, String customer, Instant at, int quantity) {
        return new dev.nudge.event.CartUpdated(id, customer, at, "cart-" + customer, List.of(new dev.nudge.event.Item(
                "kettle-1", "Kettle", new BigDecimal("49.00"), quantity, null, null)));
    }

    /** The window is the last --since of event time: customers before it are not replayed at all. */
    @Test
    void sinceKeepsOnlyTheNewestEventTime() throws IOException {
        List<CustomerEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant at = START.plus(Duration.ofDays(i));
            events.add(new ProductViewed("v" + i, "c" + i, at, "lamp", "Desk lamp", BigDecimal.ONE, null, null));
        }
        Window w = new WindowReader(Json.mapper()).fromFile(write(events), Duration.ofDays(3));
        assertEquals(4, w.events());
        assertEquals(START.plus(Duration.ofDays(6)), w.from());
        assertEquals(START.plus(Duration.ofDays(9)), w.to());
    }

    /**
     * A day of the demo's traffic (100 shoppers) replayed through the same rules twice finds no difference: the
     * replay is deterministic, so every difference a backtest shows comes from the rules.
     */
    @Test
    void sameRulesOnDemoTrafficDifferInNothing() throws IOException {
        DemoTraffic traffic = new DemoTraffic(100, 7);
        List<CustomerEvent> events = new ArrayList<>();
        Instant end = null;
        while (true) {
            SimulatedEvent e = traffic.next();
            if (end == null) {
                end = e.event().timestamp().plus(Duration.ofDays(1));
            }
            if (e.event().timestamp().isAfter(end)) {
                break;
            }
            events.add(e.event());
        }
        BacktestResult r = backtest(write(events), Duration.ofDays(7), Paths.RULES);
        assertTrue(r.events() > 2_500, "a day of demo traffic: " + r.events());
        assertEquals(List.of(), r.differences());
        assertTrue(r.campaigns().stream().anyMatch(c -> c.mailsBefore() > 0), r.campaigns().toString());
        r.campaigns().forEach(c -> assertNull(c.flag()));
        assertTrue(BacktestText.render(r).contains("no differences"), BacktestText.render(r));
    }

    private static RuleSet running;

    /** The repository's rules, compiled once for the class: compiling takes seconds, replaying these files less. */
    private static synchronized RuleSet running() throws IOException {
        if (running == null) {
            running = new RuleCompiler(Clock.systemUTC()).compile(Paths.RULES).rules();
        }
        return running;
    }

    private BacktestResult backtest(Path file, Duration since, Path candidateDir) throws IOException {
        RuleSet candidate = running();
        if (!candidateDir.equals(Paths.RULES)) {
            RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC()).compile(candidateDir);
            assertNotNull(compiled.rules(), compiled.errors().toString());
            candidate = compiled.rules();
        }
        Window window = new WindowReader(Json.mapper()).fromFile(file, since);
        return new Backtest(SETTINGS).run(window, running(), 0, candidate, 0);
    }

    private Path write(List<CustomerEvent> events) throws IOException {
        return write(Files.createTempFile(tmp, "events", ".jsonl"), events);
    }

    /** The events as a JSONL file, one per line, as a shop's export would hold them. */
    static Path write(Path file, List<CustomerEvent> events) throws IOException {
        EventWriter writer = new EventWriter(Json.mapper());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (CustomerEvent e : events) {
                out.write(writer.write(e));
                out.write('\n');
            }
        }
        return file;
    }

    /** The repository's rules with one edit in one file: {@code from} must occur there. */
    static Path copyOfRules(Path dir, String name, String from, String to) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Paths.RULES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path file = dir.resolve(name);
        String drl = Files.readString(file);
        assertTrue(drl.contains(from), name + " has no " + from);
        Files.writeString(file, drl.replace(from, to));
        return dir;
    }
}
