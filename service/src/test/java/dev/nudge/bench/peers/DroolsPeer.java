package dev.nudge.bench.peers;

import dev.nudge.engine.PeerDeduplicator;
import dev.nudge.event.CartUpdated;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.ProductViewed;
import org.drools.core.time.TimerService;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.conf.TimedRuleExecutionOption;
import org.kie.api.runtime.conf.TimerJobFactoryOption;
import org.kie.api.time.SessionPseudoClock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plain Drools 10 with the comparison's triggers in DRL ({@code same-triggers.drl}) and nothing else: a STREAM session
 * on a pseudo clock at event time, configured as Nudge's engine configures its sessions, stepped from timer to timer
 * so each mail falls due (and meets the cap) at its own time.
 */
final class DroolsPeer implements PeerEngine {

    private static volatile KieBase kieBase;

    private final KieSession session;
    private final SessionPseudoClock clock;
    private final TimerService timers;
    private final PeerDeduplicator dedup;
    private final List<Mail> mails = new ArrayList<>();

    DroolsPeer(long start, long dedupWindowMillis) {
        KieSessionConfiguration conf = KieServices.Factory.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        conf.setOption(TimedRuleExecutionOption.YES);
        conf.setOption(TimerJobFactoryOption.get("default"));
        session = kieBase().newKieSession(conf, null);
        session.setGlobal("mails", mails);
        clock = session.getSessionClock();
        timers = (TimerService) clock;
        clock.advanceTime(start, TimeUnit.MILLISECONDS);
        dedup = new PeerDeduplicator(dedupWindowMillis);
    }

    private static KieBase kieBase() {
        KieBase b = kieBase;
        if (b != null) {
            return b;
        }
        synchronized (DroolsPeer.class) {
            if (kieBase == null) {
                KieServices ks = KieServices.Factory.get();
                KieFileSystem kfs = ks.newKieFileSystem();
                kfs.write("src/main/resources/peers/same-triggers.drl", drl());
                ReleaseId release = ks.newReleaseId("dev.nudge", "peer-rules", "1.0.0");
                kfs.generateAndWritePomXML(release);
                KieModuleModel module = ks.newKieModuleModel();
                module.newKieBaseModel("peers").setDefault(true).setEventProcessingMode(EventProcessingOption.STREAM)
                        .addPackage("*");
                kfs.writeKModuleXML(module.toXML());
                KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
                if (builder.getResults().hasMessages(Message.Level.ERROR)) {
                    throw new IllegalStateException("the peer's DRL does not compile: " + builder.getResults());
                }
                kieBase = ks.newKieContainer(release).getKieBase();
            }
            return kieBase;
        }
    }

    /** The DRL, read from the test resources beside this class. */
    static String drl() {
        try (InputStream in = DroolsPeer.class.getResourceAsStream("same-triggers.drl")) {
            if (in == null) {
                throw new IllegalStateException("same-triggers.drl is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void accept(CustomerEvent event) {
        long time = event.getEventTime();
        if (!dedup.firstSeen(event.eventId(), time)) {
            return;
        }
        if (!(event instanceof CartUpdated || event instanceof ProductViewed || event instanceof CheckoutCompleted)) {
            return;
        }
        // to 1 ms before the event: a window that ends at exactly this instant ("after[0s, 30m]" includes its end)
        // must still see the event, so the timer at its end fires only once time moves past it, as Nudge's engine
        // gets by running its clock behind the events by the allowed lateness
        advanceTo(time - 1);
        dedup.evictBefore(time);
        session.insert(event);
        session.fireAllRules();
    }

    /** Steps from timer to timer, as Nudge's engine does, so what fires meets the cap at its own instant. */
    private void advanceTo(long target) {
        long now = clock.getCurrentTime();
        while (now < target) {
            long toNext = timers.getTimeToNextJob();
            long step = toNext < 0 ? target : Math.min(target, now + Math.max(toNext, 1));
            clock.advanceTime(step - now, TimeUnit.MILLISECONDS);
            now = step;
            session.fireAllRules();
        }
    }

    @Override
    public List<Mail> finish(long endMillis) {
        advanceTo(endMillis);
        return List.copyOf(mails);
    }

    @Override
    public void close() {
        session.dispose();
    }
}
