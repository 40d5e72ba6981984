package dev.nudge.testing;

import dev.nudge.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;

/** One real Kafka broker for the whole test run, started on first use and stopped when the run ends. */
public final class SharedBroker {

    private static EmbeddedKafka broker;

    private SharedBroker() {
    }

    /** Lets JUnit stop the broker when the whole run ends. */
    private record Closer(EmbeddedKafka broker) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }

    public static synchronized String bootstrap(ExtensionContext context) throws Exception {
        if (broker == null) {
            EmbeddedKafka started = EmbeddedKafka.start(Files.createTempDirectory("nudge-test-kafka"), 0);
            broker = started;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put("nudge-broker", new Closer(started));
        }
        return broker.bootstrapServers();
    }
}
