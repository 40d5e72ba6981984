package dev.nudge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.WebhookConfig;
import dev.nudge.metrics.Metrics;
import dev.nudge.send.SendStage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A send stage deployed for one pass of the send benchmark, with its SMTP server, its own metrics and the CPU count
 * since its start: waits for its mails, then reads what it did from its metrics and what the SMTP server received.
 */
final class SendRun implements AutoCloseable {

    /** A pass that sends nothing for this long has stalled: it stops and says so. */
    static final long STALL_MILLIS = 30_000;
    /** Thread groups that start so are the send stage's own. */
    static final String STAGE_GROUP = "send stage";
    private static final long POLL_MILLIS = 50;

    private final Metrics metrics = new Metrics();
    private final SendPass.Relay relay;
    private final SmtpSink sink;
    private final WebhookSink webhook;
    private final NudgeConfig config;
    private final SendStage stage;
    private final Vertx vertx;
    private ThreadCpu cpu;
    private long start;

    private SendRun(NudgeConfig config, SendPass.Relay relay, SmtpSink sink, WebhookSink webhook) {
        this.relay = relay;
        this.sink = sink;
        this.webhook = webhook;
        if (sink != null) {
            config = config.withSend(config.send().withSmtp(config.send().smtp().withPort("127.0.0.1", sink.port())));
        }
        if (webhook != null) {
            var endpoint = new WebhookConfig.Endpoint("bench", java.net.URI.create(webhook.url()),
                    "nudge-bench-webhook-secret-0001", WebhookConfig.DEFAULT_TIMEOUT, null, Map.of());
            Map<String, String> campaigns = new HashMap<>();
            SendWorkload.CAMPAIGNS.forEach(c -> campaigns.put(c, endpoint.name()));
            config = config.withSend(config.send().withWebhooks(new WebhookConfig(Map.of(endpoint.name(), endpoint),
                    campaigns)));
        }
        this.config = config;
        this.stage = SendStage.prepare(this.config.send());
        this.vertx = Vertx.vertx();
    }

    /** Starts the SMTP server ({@code relay}) and deploys a send stage sending to it; the clock starts now. */
    static SendRun start(NudgeConfig config, SendPass.Relay relay, ObjectMapper json) throws Exception {
        SendRun r = new SendRun(config, relay, relay == SendPass.Relay.SINK ? SmtpSink.start() : null,
                relay == SendPass.Relay.WEBHOOK ? WebhookSink.start() : null);
        try {
            r.cpu = ThreadCpu.start(SendRun::threadGroup);
            r.start = System.nanoTime();
            await(r.stage.deploy(r.vertx, r.config, "http://127.0.0.1:8080", r.metrics, json));
            return r;
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    /** Waits until the stage has sent a mail, at most {@link #STALL_MILLIS}. */
    void awaitFirstMail() throws InterruptedException {
        long until = System.currentTimeMillis() + STALL_MILLIS;
        while (SendResult.outcomes(metrics.scrape()).getOrDefault("sent", 0.0) < 1
                && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
    }

    /** Waits until every decision of {@code load} is mailed, or nothing moved for {@link #STALL_MILLIS}. */
    SendResult awaitSent(String name, SendWorkload.Written load, int offered) throws Exception {
        double first = -1;
        double half = -1;
        int seen = 0;
        long lastProgress = System.nanoTime();
        while (seen < load.unique() && System.nanoTime() - lastProgress < STALL_MILLIS * 1_000_000) {
            // the stage counts a mail sent after the relay's 250; cheaper to read than GreenMail's store, which
            // copies every message it holds on each call
            int n = (int) SendResult.outcomes(metrics.scrape()).getOrDefault("sent", 0.0).doubleValue();
            long now = System.nanoTime();
            if (n > seen) {
                lastProgress = now;
                first = first < 0 ? (now - start) / 1e9 : first;
                half = seen < load.unique() / 2 && n >= load.unique() / 2 ? (now - start) / 1e9 : half;
                seen = n;
            }
            if (seen < load.unique()) {
                Thread.sleep(POLL_MILLIS);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> byGroup = cpu.byGroup();
        long processCpu = cpu.processNanos();
        // copies at the end of the topic may still be on their way: wait until they are counted, then give a
        // copy sent by mistake the time to arrive, so the count of mails below has it
        long until = System.currentTimeMillis() + 5_000;
        while (SendResult.outcomes(metrics.scrape()).getOrDefault("duplicate", 0.0) < load.duplicates()
                && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(500);
        String scrape = metrics.scrape();
        return new SendResult(name, relay, config.send().maxInFlight(), offered, load, first, half, seconds,
                processCpu, byGroup, cpu.gcMillisSince(), mails(), SendResult.outcomes(scrape),
                metrics.deliveryQuantile(0.5), metrics.deliveryQuantile(0.99), seen < load.unique());
    }

    private SendResult.Mails mails() throws MessagingException {
        if (sink != null) {
            return sink.mails();
        }
        if (webhook != null) {
            return webhook.mails();
        }
        Map<String, Integer> byDecision = new HashMap<>();
        List<MimeMessage> received = stage.localSmtp().received();
        int withoutId = 0;
        for (MimeMessage m : received) {
            String[] id = m.getHeader("X-Nudge-Decision");
            if (id == null || id.length != 1) {
                withoutId++;
            } else {
                byDecision.merge(id[0], 1, Integer::sum);
            }
        }
        return new SendResult.Mails(received.size(), byDecision.size(), withoutId);
    }

    /** As the service stops: the verticle first (it commits what is settled), then the SMTP server. */
    @Override
    public void close() throws Exception {
        try {
            await(vertx.close());
        } finally {
            stage.close();
            metrics.close();
            if (sink != null) {
                sink.close();
            }
            if (webhook != null) {
                webhook.close();
            }
        }
    }

    /** Who a thread works for, from its name; what is not ours, Vert.x's, the JVM's or an SMTP server's is Kafka's. */
    static String threadGroup(String thread) {
        if (thread.startsWith("vert.x-eventloop-thread-")) {
            return STAGE_GROUP + ": event loop (templates, MIME, SMTP client, ledger)";
        }
        if (thread.startsWith("vert.x-kafka-consumer-thread-") || thread.startsWith("kafka-coordinator-heartbeat")) {
            return STAGE_GROUP + ": Kafka consumer (decisions, ledger read)";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return STAGE_GROUP + ": Kafka producer (ledger, events)";
        }
        if (thread.startsWith("smtp:")) {
            return "SMTP server: GreenMail (parses, stores)";
        }
        if (thread.startsWith(SmtpSink.THREAD_PREFIX)) {
            return "SMTP server: null sink";
        }
        if (thread.startsWith(WebhookSink.THREAD_PREFIX)) {
            return "webhook endpoint: null sink (JDK HTTP server)";
        }
        if (thread.startsWith("HttpClient-")) {
            return STAGE_GROUP + ": webhook calls (JDK HTTP client)";
        }
        if (thread.startsWith("vert.x-") || thread.startsWith("vertx-")) {
            return "Vert.x, other threads";
        }
        if (thread.equals("main")) {
            return "bench (offers decisions, counts mails)";
        }
        if (List.of("Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Notification Thread",
                "Attach Listener").contains(thread)) {
            return "JVM, other threads";
        }
        return "Kafka broker (in process)";
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
