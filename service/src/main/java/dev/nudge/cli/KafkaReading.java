package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options of the commands that read Nudge's topics from outside a running service ({@code report},
 * {@code rules backtest}, {@code preview}): the configuration file, and the Kafka to read, which defaults to the
 * configured cluster or the embedded broker of {@code nudge run}.
 */
final class KafkaReading {

    @Option(names = "--config", description = "Configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "deploy/nudge.properties")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka to read (default: kafka.bootstrap.servers of the "
            + "configuration, or the embedded broker's 127.0.0.1:<kafka.embedded.port>)")
    String bootstrapServers;

    /** The configuration, or a one-line error for a file that is not there. */
    NudgeConfig config() throws java.io.IOException {
        return Arguments.config(configFile);
    }

    /** Where to read: {@code --bootstrap-servers}, else the configured cluster, else the embedded broker. */
    String servers(NudgeConfig config) {
        return bootstrapServers != null ? bootstrapServers : config.kafka().embedded()
                ? "127.0.0.1:" + config.kafka().embeddedPort() : config.kafka().bootstrapServers();
    }
}
