package dev.nudge.testing;

import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Configurations for services under test: the shared broker, fresh topics, a free HTTP port, no idle ticks, and the
 * send stage on its embedded SMTP server on a free port.
 */
public final class TestServices {

    private TestServices() {
    }

    /**
     * Idle ticks are off (one a day), so event time moves only with the events a test sends: no test waits on a
     * wall clock for a rule.
     */
    public static Map<String, String> settings(String bootstrap, int partitions) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap.servers", bootstrap);
        s.put("kafka.topic.events", "events-" + run);
        s.put("kafka.topic.decisions", "decisions-" + run);
        s.put("kafka.topic.dead-letters", "dead-letters-" + run);
        s.put("kafka.topic.audit", "audit-" + run);
        s.put("kafka.topic.customers", "customers-" + run);
        s.put("kafka.topic.sent", "sent-" + run);
        s.put("kafka.topic.send-dead-letters", "send-dead-letters-" + run);
        s.put("kafka.topic.conversions", "conversions-" + run);
        s.put("kafka.topic.shadow-decisions", "shadow-decisions-" + run);
        s.put("send.consumer-group", "nudge-send-" + run);
        s.put("send.templates-dir", Paths.TEMPLATES.toString());
        // the embedded SMTP server on a free port: tests run services one after another in one JVM
        s.put("send.smtp.embedded-port", "0");
        s.put("send.unsubscribe-secret", "test-secret-" + run + "-0123456789");
        s.put("kafka.topic.partitions", String.valueOf(partitions));
        s.put("kafka.consumer.group", "nudge-" + run);
        s.put("engine.rules-dir", Paths.RULES.toString());
        s.put("engine.idle-tick", "P1D");
        s.put("http.port", "0");
        s.put("ingest.keys.test", Ingest.KEY);
        s.put("ingest.keys.test.types", "*");
        return s;
    }

    /**
     * {@link #settings} for a test whose events are stamped from the wall clock (now minus some hours): no quiet
     * hours, else the hour the build happens to run at would decide which of its mails are held for the night.
     */
    public static Map<String, String> wallClockSettings(String bootstrap, int partitions) {
        Map<String, String> s = settings(bootstrap, partitions);
        s.put("decisions.quiet-hours", "none");
        return s;
    }

    /** A loopback port nothing listens on yet: for a relay a test starts when it chooses. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The send stage's relay at 127.0.0.1:{@code port}, plain SMTP, retried from {@code retryFirst} to {@code retryMax}. */
    public static void relayAt(Map<String, String> s, int port, String retryFirst, String retryMax) {
        s.put("send.smtp.host", "127.0.0.1");
        s.put("send.smtp.port", String.valueOf(port));
        s.put("send.smtp.starttls", "disabled");
        s.put("send.retry.first", retryFirst);
        s.put("send.retry.max", retryMax);
    }

    public static NudgeConfig config(Map<String, String> settings) {
        return NudgeConfig.from(Settings.of(settings));
    }
}
