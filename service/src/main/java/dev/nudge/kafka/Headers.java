package dev.nudge.kafka;

import dev.nudge.event.Text;

import java.nio.charset.StandardCharsets;

/** Names of the Kafka headers Nudge writes, declared once for the pipeline, the tests and the benchmark. */
public final class Headers {

    /** On dead letters: why the event was refused. */
    public static final String ERROR = "nudge-error";
    /** On dead letters of the engine: what kind of refusal ({@code invalid}, {@code clock-skew}, {@code too-old}). */
    public static final String REFUSAL = "nudge-refusal";
    /** On events posted over HTTP: the source label of the write key that sent them. */
    public static final String EVENT_SOURCE = "nudge-event-source";
    /** On dead letters: where the event was read, {@code topic-partition@offset}. */
    public static final String SOURCE = "nudge-source";
    /** On audit records: the decision's kind ({@code suppressed}, {@code held}, {@code holdout}, {@code fallback}). */
    public static final String KIND = "nudge-kind";
    /** On audit records: why a decision did not become a mail ({@code stale-data}, {@code holdout}, ...). */
    public static final String REASON = "nudge-reason";
    /**
     * On events Nudge wrote again under the id a customer was merged into: the id they were written under before, and
     * how many merges they have followed (a loop of merges, a into b and b into a, stops after a few).
     */
    public static final String MERGED_FROM = "nudge-merged-from";
    public static final String MERGE_HOPS = "nudge-merge-hops";
    /** On decisions: wall time (epoch ms) at which the event that made the decision due was written to Kafka. */
    public static final String CAUSE_TIME = "nudge-cause-time";

    private Headers() {
    }

    /** A header's value: the text, bounded (a reason may quote a bad value of a megabyte), as UTF-8. */
    public static byte[] value(String text) {
        return Text.reason(text).getBytes(StandardCharsets.UTF_8);
    }
}
