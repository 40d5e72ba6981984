package dev.nudge.kafka;

import dev.nudge.config.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates Nudge's topics when they are missing; blocking, so call it at start-up, off the event loop. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    /**
     * Events and decisions get the same partition count on purpose: both are keyed by customer, so a customer's
     * decisions land in the partition number of their events.
     */
    public static void ensureTopics(String bootstrapServers, Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String name : topics.all()) {
                if (existing.contains(name)) {
                    continue;
                }
                try {
                    NewTopic topic = new NewTopic(name, topics.partitions(), (short) topics.replicationFactor())
                            .configs(topics.configs(name));
                    admin.createTopics(Set.of(topic))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** True when the cluster answers within the timeout: what {@code GET /ready} checks. */
    public static boolean reachable(Admin admin, long timeoutMillis) {
        try {
            admin.describeCluster().nodes().get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
