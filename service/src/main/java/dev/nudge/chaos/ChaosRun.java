package dev.nudge.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.config.Topics;
import dev.nudge.event.Json;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.kafka.KafkaProps;
import dev.nudge.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos run: a Kafka broker, an SMTP sink and N Nudge instances, each a process of its own, one consumer group;
 * a generated workload whose right mails are known; meanwhile {@code kill -9} of instances at random moments (each
 * restarted a few seconds later, as a process manager would), the broker stopped twice and the relay once. Then it
 * waits for the mails to settle and holds what was sent against what should have been.
 */
public final class ChaosRun {

    /** What came out: the mails' tally, the ownerless gaps, how long the mails took to settle after the last was due. */
    public record Result(Tally tally, List<Long> gapsMillis, int gapsUnmeasured, Duration drain, int kills,
                         long events, String description) {

        public boolean passed() {
            return tally.passed();
        }

        /** The longest time a killed process's partition went without a live owner. */
        public Duration longestGap() {
            return Duration.ofMillis(gapsMillis.stream().mapToLong(Long::longValue).max().orElse(0));
        }

        public List<String> report() {
            List<String> lines = new ArrayList<>();
            lines.add(description);
            lines.addAll(tally.lines());
            lines.add("%-36s %s".formatted("time to drain", drain == null ? "did not settle"
                    : "%.1f s after the last mail was due".formatted(drain.toMillis() / 1000.0)));
            List<Long> sorted = gapsMillis.stream().sorted().toList();
            lines.add("%-36s %s".formatted("longest time without an owner", sorted.isEmpty() ? "none measured"
                    : "%.1f s (median %.1f s over %d partitions handed over after kills; %d cut short by a broker outage)"
                    .formatted(sorted.get(sorted.size() - 1) / 1000.0, sorted.get(sorted.size() / 2) / 1000.0,
                            sorted.size(), gapsUnmeasured)));
            lines.add("verdict: " + (passed() ? "PASS" : "FAIL (mails lost, given up, doubled, against a purchase or "
                    + "opt-out, or poison not dead-lettered)"));
            return lines;
        }
    }

    private static final String INSTANCE_PREFIX = "chaos-";
    private static final Duration DUE_AFTER_CART = Duration.ofMinutes(31);

    private final ChaosOptions o;
    private final PrintStream out;
    private final ObjectMapper json = Json.mapper();
    private final Random random;
    private final long started = System.currentTimeMillis();
    private long wall0;

    private ChaosRun(ChaosOptions o, PrintStream out) {
        this.o = o;
        this.out = out;
        this.random = new Random(o.seed());
    }

    public static Result run(ChaosOptions options, PrintStream out) throws Exception {
        return new ChaosRun(options, out).run();
    }

    private Result run() throws Exception {
        Path work = o.workDir().toAbsolutePath();
        deleteTree(work);
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path sinkRecord = work.resolve("mails.tsv");
        int brokerPort = EmbeddedKafka.freePort();
        int sinkPort = EmbeddedKafka.freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Workload workload = Workload.generate(o.events(), t0,
                Duration.ofMillis((long) (o.duration().toMillis() * o.speed())), o.seed(), json);
        say("workload: %,d records for %,d customers, %,d poison; logs in %s", workload.sends().size(),
                workload.fates().size(), workload.poisonRecords(), logs);

        Child broker = new Child("broker", "-Xmx1g", List.of("broker", "--data-dir", work.resolve("kafka").toString(),
                "--port", Integer.toString(brokerPort)), Map.of(), o.home(), logs);
        Child sink = new Child("sink", "-Xmx256m", List.of("chaos", "sink", "--port", Integer.toString(sinkPort),
                "--record", sinkRecord.toString()), Map.of(), o.home(), logs);
        Map<String, String> env = nudgeEnv(bootstrap, sinkPort);
        NudgeConfig config = NudgeConfig.from(Settings.load(o.home().resolve(NudgeConfig.DEFAULT_FILE), env));
        Topics topics = config.kafka().topics();
        List<Child> nudges = new ArrayList<>();
        List<Integer> httpPorts = new ArrayList<>();
        for (int i = 1; i <= o.processes(); i++) {
            Map<String, String> own = new HashMap<>(env);
            int port = EmbeddedKafka.freePort();
            httpPorts.add(port);
            own.put("NUDGE_HTTP_PORT", Integer.toString(port));
            own.put("NUDGE_KAFKA_CONSUMER_INSTANCE_ID", INSTANCE_PREFIX + i);
            nudges.add(new Child(INSTANCE_PREFIX + i, o.javaOptions(), List.of("run", "--no-demo", "--config",
                    o.home().resolve(NudgeConfig.DEFAULT_FILE).toString()), own, o.home(), logs));
        }
        List<Child> all = new ArrayList<>(nudges);
        all.add(sink);
        all.add(broker);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(6);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"))) {
            broker.start();
            awaitBroker(admin);
            TopicAdmin.ensureTopics(bootstrap, topics);
            sink.start();
            awaitPort(sinkPort);
            for (Child n : nudges) {
                n.start();
            }
            for (int port : httpPorts) {
                awaitReady(port);
            }
            say("%d Nudge processes ready, broker on %s, SMTP sink on port %d", o.processes(), bootstrap, sinkPort);

            Owners owners = new Owners(admin, Map.of(config.kafka().consumerGroup(), topics.events(),
                    config.send().consumerGroup(), topics.decisions()));
            timer.scheduleWithFixedDelay(owners::sample, 0, 500, TimeUnit.MILLISECONDS);
            Map<Child, Long> restartAt = new ConcurrentHashMap<>();
            timer.scheduleWithFixedDelay(() -> restartDead(nudges, restartAt), 1, 1, TimeUnit.SECONDS);
            AtomicLong lastDisruption = new AtomicLong();
            List<ScheduledFuture<?>> plan = schedule(timer, broker, sink, nudges, owners, restartAt, admin,
                    lastDisruption);
            long producedAt = produce(workload, topics.events(), bootstrap, t0);
            for (ScheduledFuture<?> f : plan) {
                f.get();
            }
            long lastDue = lastMailDue(workload, t0);
            long settleFrom = Math.max(Math.max(producedAt, lastDisruption.get()), lastDue);
            say("workload sent and disruptions over; waiting for the mails to settle (the last is due %s)",
                    lastDue > System.currentTimeMillis()
                            ? "in %d s".formatted((lastDue - System.currentTimeMillis()) / 1000) : "now");
            Duration drain = null;
            long deadline = settleFrom + o.drainTimeout().toMillis();
            Tally tally = tally(workload, sinkRecord, bootstrap, topics);
            while (System.currentTimeMillis() < deadline) {
                if (System.currentTimeMillis() > settleFrom && tally.settled()) {
                    drain = Duration.ofMillis(System.currentTimeMillis() - settleFrom);
                    break;
                }
                Thread.sleep(2000);
                tally = tally(workload, sinkRecord, bootstrap, topics);
            }
            // late copies would show up now: a grace period before the final count
            Thread.sleep(drain == null ? 0 : 20_000);
            tally = tally(workload, sinkRecord, bootstrap, topics);
            String description = "chaos run: %d Nudge processes, %,d records (%,d poison) over %s at %sx event time, %d kills, broker down %s, relay down %s"
                    .formatted(o.processes(), workload.sends().size(), workload.poisonRecords(), o.duration(),
                            o.speed(), o.kills(), o.brokerOutages(), o.relayOutage());
            return new Result(tally, owners.gaps(), owners.unmeasured(), drain, o.kills(), workload.sends().size(),
                    description);
        } finally {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            for (Child c : all) {
                c.stop();
            }
        }
    }

    private Map<String, String> nudgeEnv(String bootstrap, int sinkPort) {
        Map<String, String> env = new HashMap<>();
        env.put("NUDGE_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("NUDGE_KAFKA_TOPIC_PARTITIONS", Integer.toString(o.partitions()));
        env.put("NUDGE_ENGINE_CLOCK_SPEED", Double.toString(o.speed()));
        env.put("NUDGE_DECISIONS_QUIET_HOURS", "none");
        // every planned cart is expected as a mail: none held out (the shipped settings hold 10% out)
        env.put("NUDGE_DECISIONS_HOLDOUT_PERCENT", "0");
        env.put("NUDGE_SEND_SMTP_HOST", "127.0.0.1");
        env.put("NUDGE_SEND_SMTP_PORT", Integer.toString(sinkPort));
        env.put("NUDGE_SEND_SMTP_STARTTLS", "disabled");
        env.put("NUDGE_SEND_RATE_PER_MINUTE", "1000000");
        env.put("NUDGE_SEND_UNSUBSCRIBE_SECRET", "chaos-run-unsubscribe-secret");
        env.put("NUDGE_ENGINE_RULES_DIR", o.home().resolve("rules").toString());
        env.put("NUDGE_SEND_TEMPLATES_DIR", o.home().resolve("deploy/templates").toString());
        return env;
    }

    /** Kills at random moments, the broker's and the relay's outages at fixed shares of the run. */
    private List<ScheduledFuture<?>> schedule(ScheduledExecutorService timer, Child broker, Child sink,
                                              List<Child> nudges, Owners owners, Map<Child, Long> restartAt,
                                              Admin admin, AtomicLong lastDisruption) {
        long span = o.duration().toMillis();
        List<ScheduledFuture<?>> plan = new ArrayList<>();
        for (int k = 0; k < o.kills(); k++) {
            long at = (long) (span * (0.05 + 0.9 * random.nextDouble()));
            long down = 1000 + random.nextInt(7000);
            int victim = random.nextInt(nudges.size());
            plan.add(timer.schedule(() -> kill(nudges, victim, down, owners, restartAt, lastDisruption), at,
                    TimeUnit.MILLISECONDS));
        }
        for (int i = 0; i < o.brokerOutages().size(); i++) {
            Duration outage = o.brokerOutages().get(i);
            long at = (long) (span * (0.2 + 0.3 * i));
            plan.add(timer.schedule(() -> {
                say("broker: stopped for %s", outage);
                owners.brokerDown();
                broker.stop();
                Thread.sleep(outage.toMillis());
                broker.start();
                awaitBroker(admin);
                owners.brokerDown();
                lastDisruption.accumulateAndGet(System.currentTimeMillis(), Math::max);
                say("broker: back");
                return null;
            }, at, TimeUnit.MILLISECONDS));
        }
        if (!o.relayOutage().isZero()) {
            plan.add(timer.schedule(() -> {
                say("SMTP relay: stopped for %s", o.relayOutage());
                sink.kill();
                Thread.sleep(o.relayOutage().toMillis());
                sink.start();
                lastDisruption.accumulateAndGet(System.currentTimeMillis(), Math::max);
                say("SMTP relay: back");
                return null;
            }, (long) (span * 0.35), TimeUnit.MILLISECONDS));
        }
        return plan;
    }

    /** SIGKILL one instance (the chosen one, or the next one alive), restarted {@code downMillis} later. */
    private Void kill(List<Child> nudges, int victim, long downMillis, Owners owners, Map<Child, Long> restartAt,
                      AtomicLong lastDisruption) throws InterruptedException {
        for (int i = 0; i < nudges.size(); i++) {
            Child c = nudges.get((victim + i) % nudges.size());
            if (c.alive()) {
                restartAt.put(c, System.currentTimeMillis() + downMillis);
                c.kill();
                owners.killed(c.name());
                lastDisruption.accumulateAndGet(System.currentTimeMillis() + downMillis, Math::max);
                say("kill -9 %s (back in %.1f s)", c.name(), downMillis / 1000.0);
                return null;
            }
        }
        say("kill: no Nudge process alive to kill");
        return null;
    }

    /** As systemd's Restart=always would: a process that is gone is started again once its time has come. */
    private void restartDead(List<Child> nudges, Map<Child, Long> restartAt) {
        long now = System.currentTimeMillis();
        for (Child c : nudges) {
            if (!c.alive() && now >= restartAt.getOrDefault(c, 0L)) {
                try {
                    c.start();
                    restartAt.put(c, now + 5000);
                } catch (IOException e) {
                    say("could not restart %s: %s", c.name(), e);
                }
            }
        }
    }

    /** Sends the workload as the shop would, at its event time run {@code speed} times as fast; returns when done. */
    private long produce(Workload workload, String topic, String bootstrap, Instant t0) throws Exception {
        Map<String, Object> props = new HashMap<>(KafkaProps.producer(bootstrap, Map.of()));
        // the shop's producer holds its events through the broker's outages rather than dropping them
        props.put("delivery.timeout.ms", Long.toString(Duration.ofMinutes(30).toMillis()));
        props.put("max.block.ms", Long.toString(Duration.ofMinutes(30).toMillis()));
        props.put("buffer.memory", Long.toString(512L << 20));
        AtomicLong failed = new AtomicLong();
        wall0 = System.currentTimeMillis();
        long event0 = t0.toEpochMilli();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            int n = 0;
            for (Workload.Send s : workload.sends()) {
                long due = wall0 + (long) ((s.at() - event0) / o.speed());
                long wait = due - System.currentTimeMillis();
                if (wait > 2) {
                    Thread.sleep(wait);
                }
                producer.send(new ProducerRecord<>(topic, null, s.at(), s.key(), s.value()), (m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
                if (++n % 100_000 == 0) {
                    say("%,d records sent", n);
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " workload records could not be sent: the run means nothing");
        }
        say("all %,d records sent", workload.sends().size());
        return System.currentTimeMillis();
    }

    /** Wall time by which the last expected mail is due: its cart's time plus 30 minutes and the allowed minute. */
    private long lastMailDue(Workload workload, Instant t0) {
        long last = workload.sends().stream().filter(s -> !s.poison()).mapToLong(Workload.Send::at).max()
                .orElse(t0.toEpochMilli());
        long dueEvent = last + DUE_AFTER_CART.toMillis();
        return wall0 + (long) ((dueEvent - t0.toEpochMilli()) / o.speed());
    }

    private Tally tally(Workload workload, Path sinkRecord, String bootstrap, Topics topics) throws IOException {
        return Tally.read(workload, sinkRecord, bootstrap, topics.sendDeadLetters(), topics.deadLetters(), json);
    }

    private void awaitBroker(Admin admin) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!TopicAdmin.reachable(admin, 2000)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not come up within 2 minutes");
            }
            Thread.sleep(500);
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("nothing listens on port " + port + " after a minute");
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Nudge process on port " + port + " was not ready within 3 minutes");
    }

    private void say(String format, Object... args) {
        out.printf("[%6.1f s] %s%n", (System.currentTimeMillis() - started) / 1000.0, format.formatted(args));
        out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
