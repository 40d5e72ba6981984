package dev.nudge.metrics;

import dev.nudge.decision.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Nudge's meters, named once, exported in Prometheus text format on {@code GET /metrics}. */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter deadLetters;
    private final Counter duplicates;
    private final Counter late;
    private final Counter forwarded;
    private final Counter ruleFailures;
    private final io.micrometer.core.instrument.Timer ruleEvaluation;
    private final Timer latency;
    private final Timer mailDelivery;
    private final Map<String, Counter> eventsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

    public Metrics() {
        deadLetters = Counter.builder("nudge.dead.letters").description("Events refused and sent to the dead-letter topic")
                .register(registry);
        duplicates = Counter.builder("nudge.events.duplicate").description("Events ignored because their eventId was seen")
                .register(registry);
        late = Counter.builder("nudge.events.late")
                .description("Events that arrived later than the allowed lateness (behind the watermark)").register(registry);
        forwarded = Counter.builder("nudge.events.forwarded")
                .description("Events written again under the id their customer was merged into, and merges announced")
                .register(registry);
        ruleEvaluation = io.micrometer.core.instrument.Timer.builder("nudge.rules.evaluation")
                .description("Time the rules took per event (all rules: matching and consequences)")
                .publishPercentiles(0.5, 0.99).register(registry);
        ruleFailures = Counter.builder("nudge.rule.failures").description("Rule evaluations that threw an exception")
                .register(registry);
        latency = Timer.builder("nudge.decision.latency")
                .description("From the Kafka timestamp of the event that made a decision due to its acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
        mailDelivery = Timer.builder("nudge.mail.delivery")
                .description("From a decision on Kafka to its mail accepted by the relay")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    public void eventIn(String type) {
        // looked up once per type: building a meter id per event cost more than the counting
        eventsIn.computeIfAbsent(type, t -> registry.counter("nudge.events.in", "type", t)).increment();
    }

    public void decision(Decision d) {
        decisions.computeIfAbsent(d.rule() + '\u0000' + d.campaign(),
                k -> registry.counter("nudge.decisions", "rule", d.rule(), "campaign", d.campaign())).increment();
    }

    public void suppressed(String campaign, String reason) {
        registry.counter("nudge.decisions.suppressed", "campaign", campaign, "reason", reason).increment();
    }

    /** A mail held back (quiet hours, a quiet source); {@link #released} counts how each hold ended. */
    /** A mail decided earlier was revoked ({@code purchased}, {@code unsubscribed}, ...) before the send stage sent it. */
    public void voided(String campaign, String reason) {
        registry.counter("nudge.decisions.voided", "campaign", campaign, "reason", reason).increment();
    }

    public void held(String campaign, String reason) {
        registry.counter("nudge.decisions.held", "campaign", campaign, "reason", reason).increment();
    }

    /** A hold ended: the mail was {@code sent}, {@code suppressed} (it became void, or a guard said no) or sent as a
     * {@code fallback}. */
    public void released(String campaign, String reason, String outcome) {
        registry.counter("nudge.decisions.released", "campaign", campaign, "reason", reason, "outcome", outcome)
                .increment();
    }

    /** A WebSocket connection of {@code GET /events/ws} was paused: its events came faster than Kafka took them. */
    public void wsPaused() {
        registry.counter("nudge.ingest.ws.paused").increment();
    }

    public void deadLetter() {
        deadLetters.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void late() {
        late.increment();
    }

    public void forwarded() {
        forwarded.increment();
    }

    /** Fires and failures of one rule: which rules work, which throw, on live traffic. */
    public void ruleActivity(String rule, long fires, long failures, long consequenceNanos) {
        if (fires > 0) {
            registry.counter("nudge.rule.fires", "rule", rule).increment(fires);
            registry.counter("nudge.rule.consequence.seconds", "rule", rule).increment(consequenceNanos / 1e9);
        }
        if (failures > 0) {
            registry.counter("nudge.rule.failures.by.rule", "rule", rule).increment(failures);
        }
    }

    /** How long the rules took over one event: matching every rule, and the consequences that fired. */
    public void ruleEvaluation(long nanos) {
        ruleEvaluation.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A reload of the rules: taken, or refused because they do not compile. */
    public void ruleReload(boolean taken) {
        registry.counter("nudge.rules.reloads", "result", taken ? "loaded" : "rejected").increment();
    }

    public void ruleFailure() {
        ruleFailures.increment();
    }

    public void latency(Duration d) {
        latency.record(d);
    }

    /**
     * What the send stage did with a decision: {@code sent}, {@code retried} (a transient refusal), {@code failed},
     * {@code void}, {@code holdout} or {@code duplicate} (already handled, not sent again).
     */
    public void mail(String campaign, String outcome) {
        registry.counter("nudge.mails", "campaign", campaign, "outcome", outcome).increment();
    }

    /**
     * An order converted a decision of {@code campaign} in {@code arm} ({@code mailed} or {@code holdout}) within its
     * conversion window: {@code nudge_conversions_total{campaign,arm}} and, by {@code revenue} in {@code currency},
     * {@code nudge_conversion_revenue_total{campaign,arm,currency}}. Call it once per conversion record written.
     */
    public void conversion(String campaign, String arm, String currency, java.math.BigDecimal revenue) {
        registry.counter("nudge.conversions", "campaign", campaign, "arm", arm).increment();
        if (revenue != null && currency != null) {
            registry.counter("nudge.conversion.revenue", "campaign", campaign, "arm", arm, "currency", currency)
                    .increment(revenue.doubleValue());
        }
    }

    /** From the decision's arrival on Kafka to the relay's acceptance of its mail, retries and rate limit included. */
    public void mailDelivery(Duration d) {
        mailDelivery.record(d);
    }

    /** Registers a gauge read on every scrape, such as consumer lag or the number of facts in memory. */
    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * The sum of every counter of that name whose tags include the given ones ({@code "outcome", "sent"}), 0 when
     * none was counted: what the console's summary line reports.
     */
    public double total(String name, String... tagKeysAndValues) {
        return registry.find(name).tags(tagKeysAndValues).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    public String scrape() {
        return registry.scrape();
    }
}
