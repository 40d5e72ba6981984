package dev.nudge.bench;

import dev.nudge.kafka.EmbeddedKafka;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The send stage's throughput and delivery time: decisions loaded into Kafka beforehand, drained by the real send
 * stage (ledger writes, FreeMarker templates, vertx-mail-client) into the embedded GreenMail server, then into a null
 * SMTP sink to tell the stage's own limit from GreenMail's, then to a null webhook (every campaign on the webhook
 * channel: signed JSON calls through the JDK's HTTP client); then decisions offered at a fixed rate for the delivery
 * time of a stage that keeps up. Every pass checks that each decision was mailed exactly once.
 */
public final class SendBenchmark implements BenchStage {

    /** Decisions per throughput pass, copies not included: about 30 s into GreenMail on two cores. */
    public static final int DEFAULT_MAILS = 10_000;
    /** The shipped {@code send.max-in-flight}. */
    public static final List<Integer> DEFAULT_IN_FLIGHT = List.of(8);
    /** Decisions of the untimed warm-up pass (other ids): the JIT compiles the path before the timing. */
    public static final int DEFAULT_WARMUP_MAILS = 4_000;
    /** The warm-up's max-in-flight: the same code, sooner, than at 8 (the JIT counts calls, not seconds). */
    static final int WARMUP_IN_FLIGHT = 32;
    /** Offered decisions/s of the delivery-time pass: ten times the shipped send.rate-per-minute of 600. */
    public static final int DEFAULT_OFFERED = 100;
    public static final Duration DEFAULT_OFFERED_FOR = Duration.ofSeconds(10);

    private static final String SEND_LOGGER = "dev.nudge.send";

    private final Path templatesDir;
    private final int mails;
    private final int warmupMails;
    private final List<Integer> inFlight;
    private final int offered;
    private final Duration offeredFor;

    public SendBenchmark() {
        this(Path.of("deploy", "templates"), DEFAULT_MAILS, DEFAULT_WARMUP_MAILS, DEFAULT_IN_FLIGHT, DEFAULT_OFFERED,
                DEFAULT_OFFERED_FOR);
    }

    /** {@code offered} 0: no delivery-time pass; {@code warmupMails} 0: no warm-up. */
    public SendBenchmark(Path templatesDir, int mails, int warmupMails, List<Integer> inFlight, int offered,
                         Duration offeredFor) {
        if (mails < 2 || inFlight.isEmpty() || inFlight.stream().anyMatch(n -> n < 1) || offered < 0) {
            throw new IllegalArgumentException("at least 2 mails, every max-in-flight at least 1, offered rate >= 0");
        }
        this.templatesDir = templatesDir;
        this.mails = mails;
        this.warmupMails = warmupMails;
        this.inFlight = List.copyOf(inFlight);
        this.offered = offered;
        this.offeredFor = offeredFor;
    }

    @Override
    public String name() {
        return "send";
    }

    @Override
    public boolean run(BenchOptions o, PrintStream out) throws Exception {
        out.println("== send: decisions from Kafka to mail through the send stage, SMTP server or webhook in process ==");
        double loadBefore = EngineReport.loadAverage();
        Path dir = Files.createTempDirectory("nudge-bench-send");
        // every pass starts a send stage, which logs its SMTP server and each ledger partition it reads: not here
        Level level = LogManager.getLogger(SEND_LOGGER).getLevel();
        Configurator.setLevel(SEND_LOGGER, Level.WARN);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, 0)) {
            SendPass pass = new SendPass(broker.bootstrapServers(), templatesDir, o.partitions());
            SendResult warmup = null;
            if (warmupMails > 0) {
                out.printf("warming up on %,d other decisions...%n", warmupMails);
                warmup = pass.drain("warmup", workload(o, warmupMails, 1), WARMUP_IN_FLIGHT, SendPass.Relay.GREENMAIL);
            }
            List<SendResult> results = new ArrayList<>();
            for (SendPass.Relay relay : SendPass.Relay.values()) {
                for (int n : inFlight) {
                    out.printf("%s, send.max-in-flight %d: loading %,d decisions, then sending them...%n",
                            relay.label, n, mails);
                    results.add(pass.drain(relay.name().toLowerCase(Locale.ROOT) + "-" + n, workload(o, mails, 0), n, relay));
                }
            }
            SendResult paced = null;
            if (offered > 0) {
                out.printf("embedded GreenMail: offering %d decisions/s for %d s...%n", offered,
                        offeredFor.toSeconds());
                int count = (int) (offered * offeredFor.toSeconds());
                paced = pass.offer("offered", workload(o, count, 2), inFlight.get(0), SendPass.Relay.GREENMAIL,
                        offered, offeredFor);
            }
            new SendReport(o, warmup, results, paced, loadBefore).print(out);
            return results.stream().allMatch(SendResult::correct) && (paced == null || paced.correct());
        } finally {
            Configurator.setLevel(SEND_LOGGER, level);
            delete(dir);
        }
    }

    /** The broker's folder holds every pass's topics (tens of MB): gone with the stage. */
    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The throughput passes send the same decisions (each pass has topics, ledger and SMTP server of its own); the
     * warm-up and the offered pass get other seeds, the same shape of workload.
     */
    private static SendWorkload workload(BenchOptions o, int count, long seedOffset) {
        return new SendWorkload(count, o.customers(), o.duplicateRate(), o.seed() + 100 * seedOffset);
    }
}
