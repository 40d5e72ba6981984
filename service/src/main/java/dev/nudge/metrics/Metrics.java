package dev.nudge.metrics;

import dev.nudge.decision.Decision;
import dev.nudge.event.EventParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Nudge's meters, named once, exported in Prometheus text format on {@code GET /metrics}: every one with HELP text,
 * latencies as histograms (so they add up over instances), with the JVM's and the process's own meters beside them.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter deadLetters;
    private final Counter duplicates;
    private final Counter late;
    private final Counter forwarded;
    private final Counter ruleFailures;
    private final Timer ruleEvaluation;
    private final Timer latency;
    private final Timer mailDelivery;
    private final MultiGauge partitionLag;
    private final MultiGauge partitionPosition;
    private final Map<String, Counter> eventsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> shadowDecisions = new ConcurrentHashMap<>();

    public Metrics() {
        deadLetters = counter("nudge.dead.letters", "Events refused and sent to the dead-letter topic");
        duplicates = counter("nudge.events.duplicate", "Events ignored because their eventId was seen");
        late = counter("nudge.events.late", "Events that arrived later than the allowed lateness (behind the watermark)");
        forwarded = counter("nudge.events.forwarded",
                "Events written again under the id their customer was merged into, and merges announced");
        ruleFailures = counter("nudge.rule.failures", "Rule evaluations that threw an exception");
        ruleEvaluation = Timer.builder("nudge.rules.evaluation")
                .description("Time the rules took per event (all rules: matching and consequences)")
                .serviceLevelObjectives(Buckets.RULES).register(registry);
        latency = Timer.builder("nudge.decision.latency")
                .description("From the Kafka timestamp of the event that made a decision due to its acknowledgement")
                .serviceLevelObjectives(Buckets.DECISION).register(registry);
        // the percentiles are not exported beside buckets; the benchmark reads them in process (deliveryQuantile)
        mailDelivery = Timer.builder("nudge.mail.delivery")
                .description("From a decision on Kafka to its mail accepted by the relay, retries and rate limit included")
                .serviceLevelObjectives(Buckets.DELIVERY).publishPercentiles(0.5, 0.99).register(registry);
        partitionLag = MultiGauge.builder("nudge.consumer.partition.lag")
                .description("Records of one partition not yet processed: events not decided by the engines (the "
                        + "group's view while an engine is down), decisions not settled by the send stage")
                .register(registry);
        partitionPosition = MultiGauge.builder("nudge.consumer.partition.position")
                .description("The next offset to process in one partition (the engines', the send stage's): it "
                        + "stands still when nothing consumes").register(registry);
        EventParser.TYPES.forEach(t -> eventsIn.put(t, eventsInCounter(t)));
        for (String result : List.of("loaded", "rejected")) {
            counter("nudge.rules.reloads", "Rule reloads: loaded, or rejected (did not compile)", "result", result);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private Counter counter(String name, String help, String... tags) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }

    private Counter eventsInCounter(String type) {
        return counter("nudge.events.in", "Events run through the rules, by type", "type", type);
    }

    public void eventIn(String type) {
        // looked up once per type: building a meter id per event cost more than the counting
        eventsIn.computeIfAbsent(type, this::eventsInCounter).increment();
    }

    /** A decision of the shadow rules, written to the shadow topic only. */
    public void shadowDecision(String campaign, String kind) {
        shadowDecisions.computeIfAbsent(campaign + '\u0000' + kind, k -> counter("nudge.shadow.decisions",
                "Decisions of the shadow rules (to the shadow topic only, never mailed), by campaign and kind",
                "campaign", campaign, "kind", kind)).increment();
    }

    public void decision(Decision d) {
        decisions.computeIfAbsent(d.rule() + '\u0000' + d.campaign(), k -> counter("nudge.decisions",
                "Decisions acknowledged by Kafka, by rule and campaign", "rule", d.rule(), "campaign", d.campaign()))
                .increment();
    }

    public void suppressed(String campaign, String reason) {
        counter("nudge.decisions.suppressed", "Decisions written to the audit topic instead of (or, for a holdout, "
                + "besides) the decisions topic, by campaign and reason", "campaign", campaign, "reason", reason)
                .increment();
    }

    /** A mail decided earlier was revoked ({@code purchased}, {@code unsubscribed}, ...) before the send stage sent it. */
    public void voided(String campaign, String reason) {
        counter("nudge.decisions.voided", "Mails revoked by the rules after they were decided, by campaign and reason",
                "campaign", campaign, "reason", reason).increment();
    }

    /** A mail held back (quiet hours, a quiet source); {@link #released} counts how each hold ended. */
    public void held(String campaign, String reason) {
        counter("nudge.decisions.held", "Mails held back (quiet-hours, source-quiet), by campaign and reason",
                "campaign", campaign, "reason", reason).increment();
    }

    /** A hold ended: the mail was {@code sent}, {@code suppressed} (it became void, or a guard said no) or sent as a
     * {@code fallback}. */
    public void released(String campaign, String reason, String outcome) {
        counter("nudge.decisions.released", "How holds ended (sent, suppressed, fallback, holdout), by campaign and "
                + "hold reason", "campaign", campaign, "reason", reason, "outcome", outcome).increment();
    }

    /** A WebSocket connection of {@code GET /events/ws} was paused: its events came faster than Kafka took them. */
    public void wsPaused() {
        counter("nudge.ingest.ws.paused", "Times a WebSocket connection was paused because its events came faster "
                + "than Kafka took them").increment();
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

    /**
     * Shows every rule of a (re)loaded rule set with zero fires and failures, so a dashboard and an alert see a rule
     * before it first fires.
     */
    public void rulesLoaded(Collection<String> rules) {
        for (String rule : rules) {
            fires(rule);
            failuresByRule(rule);
        }
    }

    private Counter fires(String rule) {
        return counter("nudge.rule.fires", "Rule fires (consequences run), by rule", "rule", rule);
    }

    private Counter failuresByRule(String rule) {
        return counter("nudge.rule.failures.by.rule", "Rule evaluations that threw, by rule", "rule", rule);
    }

    /** Fires and failures of one rule: which rules work, which throw, on live traffic. */
    public void ruleActivity(String rule, long fires, long failures, long consequenceNanos) {
        if (fires > 0) {
            fires(rule).increment(fires);
            counter("nudge.rule.consequence.seconds", "Time the rule's consequences took, by rule", "rule", rule)
                    .increment(consequenceNanos / 1e9);
        }
        if (failures > 0) {
            failuresByRule(rule).increment(failures);
        }
    }

    /** How long the rules took over one event: matching every rule, and the consequences that fired. */
    public void ruleEvaluation(long nanos) {
        ruleEvaluation.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A reload of the rules: taken, or refused because they do not compile. */
    public void ruleReload(boolean taken) {
        counter("nudge.rules.reloads", "Rule reloads: loaded, or rejected (did not compile)", "result",
                taken ? "loaded" : "rejected").increment();
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
        counter("nudge.mails", "What the send stage did with each decision, by campaign and outcome", "campaign",
                campaign, "outcome", outcome).increment();
    }

    /** The relay or a webhook endpoint ({@code channel}) asked the send stage to slow down; 0 shows the channel. */
    public void throttled(String channel, int times) {
        counter("nudge.relay.throttled", "Times the relay or a webhook endpoint asked to slow down (every mail of "
                + "the channel waits), by channel", "channel", channel).increment(times);
    }

    /**
     * An order converted a decision of {@code campaign} in {@code arm} ({@code mailed} or {@code holdout}) within its
     * conversion window: {@code nudge_conversions_total{campaign,arm}} and, by {@code revenue} in {@code currency},
     * {@code nudge_conversion_revenue_total{campaign,arm,currency}}. Call it once per conversion record written.
     */
    public void conversion(String campaign, String arm, String currency, java.math.BigDecimal revenue) {
        counter("nudge.conversions", "Decisions converted (the first order within the campaign's window), by "
                + "campaign and arm", "campaign", campaign, "arm", arm).increment();
        if (revenue != null && currency != null) {
            counter("nudge.conversion.revenue", "Revenue of the converting orders, by campaign, arm and currency",
                    "campaign", campaign, "arm", arm, "currency", currency).increment(revenue.doubleValue());
        }
    }

    /** From the decision's arrival on Kafka to the relay's acceptance of its mail, retries and rate limit included. */
    public void mailDelivery(Duration d) {
        mailDelivery.record(d);
    }

    /** A quantile (0.5 or 0.99) of the mail delivery time in seconds, as this process measured it; NaN before any. */
    public double deliveryQuantile(double q) {
        if (mailDelivery.count() == 0) {
            return Double.NaN;
        }
        for (ValueAtPercentile v : mailDelivery.takeSnapshot().percentileValues()) {
            if (v.percentile() == q) {
                return v.value(TimeUnit.SECONDS);
            }
        }
        throw new IllegalArgumentException("quantile " + q + " is not tracked (0.5, 0.99 are)");
    }

    /** Per topic and partition: the events not yet processed, and the next offset to process; replaces the last. */
    public void consumerPartitions(Map<Partition, Long> lag, Map<Partition, Long> position) {
        partitionLag.register(lag.entrySet().stream().map(e -> MultiGauge.Row.of(e.getKey().tags(), e.getValue()))
                .toList(), true);
        partitionPosition.register(position.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey().tags(), e.getValue())).toList(), true);
    }

    /** A topic partition as a pair of labels. */
    public record Partition(String topic, int partition) {
        Tags tags() {
            return Tags.of("topic", topic, "partition", String.valueOf(partition));
        }
    }

    /** Registers a gauge read on every scrape, such as consumer lag or the number of facts in memory. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A gauge with one label ({@code source="CheckoutCompleted"}), read on every scrape. */
    public void gauge(String name, String description, String label, String labelValue, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag(label, labelValue).register(registry);
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

    /** Stops listening to the garbage collector's notifications. */
    @Override
    public void close() {
        gc.close();
    }
}
