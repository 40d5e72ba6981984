package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.metrics.Metrics;
import dev.nudge.send.SendStage;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code nudge send}: the send stage alone, against the configured Kafka cluster, so it scales apart from the engine
 * (run the service with {@code send.enabled=false} then).
 */
@Command(name = "send", description = "Run the send stage alone: decisions from Kafka to e-mail through SMTP.")
final class SendCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "deploy/nudge.properties")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        NudgeConfig config = Arguments.config(configFile);
        if (config.kafka().embedded()) {
            System.err.println("nudge send needs kafka.bootstrap.servers: it joins the cluster the engine writes to");
            return 1;
        }
        if (config.send().publicUrl() == null) {
            System.err.println("nudge send needs send.public-url: the address of Nudge's HTTP API, where the "
                    + "unsubscribe links of its mails lead");
            return 1;
        }
        if (config.send().unsubscribeSecret() == null) {
            System.err.println("nudge send needs send.unsubscribe-secret, the same as the HTTP API's, or its "
                    + "unsubscribe links are refused");
            return 1;
        }
        if (config.send().smtp().embedded()) {
            Ports.check(java.util.List.of(new Ports.Port("127.0.0.1", config.send().smtp().embeddedPort(),
                    "send.smtp.embedded-port")));
        }
        TopicAdmin.ensureTopics(config.kafka().bootstrapServers(), config.kafka().topics());
        SendStage stage = SendStage.prepare(config.send());
        Vertx vertx = Vertx.vertx();
        try {
            stage.deploy(vertx, config, config.send().publicUrl(), new Metrics(), Json.mapper())
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("the send stage could not start: " + e.getMessage());
            vertx.close();
            stage.close();
            return 1;
        }
        System.out.println("send stage up: decisions from " + config.kafka().topics().decisions() + " to SMTP "
                + stage.config().smtp().host() + ":" + stage.config().smtp().port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            } finally {
                stage.close();
                stopped.countDown();
            }
        }, "nudge-send-shutdown"));
        stopped.await();
        return 0;
    }
}
