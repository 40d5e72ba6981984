package dev.nudge.bench.peers;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventSender;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.util.FilterServiceProfile;
import com.espertech.esper.common.client.module.Module;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompiler;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import dev.nudge.engine.PeerDeduplicator;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.Item;
import dev.nudge.event.ProductViewed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Esper 9 with the comparison's triggers in EPL ({@code same-triggers.epl}), set up as Esper's documentation advises for
 * one sending thread: object-array events through reusable event senders, an external clock moved by event time,
 * no runtime locking, no ordered dispatch between threads, the filter service set for filters that change all the
 * time (every cart update and qualified view starts a pattern with its own filters), and a listener only on the mails.
 */
final class EsperPeer implements PeerEngine {

    private static final AtomicInteger RUNTIMES = new AtomicInteger();
    private static volatile Compiled compiled;

    /** The EPL compiled once per JVM (the compiler is slow and the byte code is the same for every pass). */
    private record Compiled(Configuration config, EPCompiled module) {
    }

    private final EPRuntime runtime;
    private final EPEventService events;
    private final EventSender carts;
    private final EventSender lines;
    private final EventSender checkouts;
    private final EventSender views;
    private final PeerDeduplicator dedup;
    private final List<Mail> mails = new ArrayList<>();
    private long now;

    EsperPeer(long start, long dedupWindowMillis) {
        Compiled c = compile();
        runtime = EPRuntimeProvider.getRuntime("nudge-peer-" + RUNTIMES.incrementAndGet(), c.config());
        events = runtime.getEventService();
        events.advanceTime(start);
        now = start;
        try {
            EPDeployment deployment = runtime.getDeploymentService().deploy(c.module());
            for (EPStatement s : deployment.getStatements()) {
                if ("Mails".equals(s.getName())) {
                    s.addListener((newEvents, oldEvents, statement, rt) -> {
                        for (var e : newEvents) {
                            mails.add(new Mail((String) e.get("customerId"), (String) e.get("campaign"),
                                    (String) e.get("key"), (Long) e.get("due")));
                        }
                    });
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not deploy the peer's EPL: " + e.getMessage(), e);
        }
        carts = events.getEventSender("CartUpdated");
        lines = events.getEventSender("CartLine");
        checkouts = events.getEventSender("Checkout");
        views = events.getEventSender("ProductViewed");
        dedup = new PeerDeduplicator(dedupWindowMillis);
    }

    private static Compiled compile() {
        Compiled c = compiled;
        if (c != null) {
            return c;
        }
        synchronized (EsperPeer.class) {
            if (compiled == null) {
                Configuration config = new Configuration();
                // one thread sends every event and moves the clock: no timer thread, no locks, no dispatch ordering
                config.getRuntime().getThreading().setInternalTimerEnabled(false);
                config.getRuntime().getThreading().setListenerDispatchPreserveOrder(false);
                config.getRuntime().getThreading().setInsertIntoDispatchPreserveOrder(false);
                config.getRuntime().getExecution().setDisableLocking(true);
                // patterns come and go with every cart update, and READWRITE is Esper's profile for filters that change
                // often: 129,000 -> 146,000 events per CPU-second on 200,000 deliveries (one run each, busy machine)
                config.getRuntime().getExecution().setFilterServiceProfile(FilterServiceProfile.READWRITE);
                EPCompiler compiler = EPCompilerProvider.getCompiler();
                try {
                    Module module = compiler.parseModule(epl());
                    compiled = new Compiled(config, compiler.compile(module, new CompilerArguments(config)));
                } catch (EPCompileException | IOException | com.espertech.esper.common.client.module.ParseException e) {
                    throw new IllegalStateException("the peer's EPL does not compile: " + e.getMessage(), e);
                }
            }
            return compiled;
        }
    }

    /** The EPL, read from the test resources beside this class. */
    static String epl() throws IOException {
        try (InputStream in = EsperPeer.class.getResourceAsStream("same-triggers.epl")) {
            if (in == null) {
                throw new IOException("same-triggers.epl is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void accept(CustomerEvent event) {
        long time = event.getEventTime();
        if (!dedup.firstSeen(event.eventId(), time)) {
            return;
        }
        if (time > now) {
            advanceTo(time);
            dedup.evictBefore(time);
        }
        if (event instanceof CartUpdated c) {
            carts.sendEvent(new Object[] {c.customerId(), c.cartId(), !c.isEmpty(), time});
            for (Item i : c.items()) {
                lines.sendEvent(new Object[] {c.customerId(), i.productId(), time});
            }
        } else if (event instanceof ProductViewed v) {
            views.sendEvent(new Object[] {v.customerId(), v.productId(), time});
        } else if (event instanceof CheckoutCompleted o) {
            checkouts.sendEvent(new Object[] {o.customerId(), o.cartId(), time});
        }
    }

    /**
     * Moves the clock to {@code time} with {@code advanceTimeSpan}, which stops at each scheduled instant on the way:
     * one {@code advanceTime} jump over several timers fires them statement by statement, not in time order, and the
     * cap must see a customer's mails in due order. (Stepping with {@code getNextScheduledTime} and
     * {@code advanceTime} by hand measured the same.)
     */
    private void advanceTo(long time) {
        events.advanceTimeSpan(time);
        now = time;
    }

    @Override
    public List<Mail> finish(long endMillis) {
        if (endMillis > now) {
            advanceTo(endMillis);
        }
        return List.copyOf(mails);
    }

    @Override
    public void close() {
        runtime.destroy();
    }
}
