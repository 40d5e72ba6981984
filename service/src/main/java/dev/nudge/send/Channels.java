package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.SendConfig;
import dev.nudge.config.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The send stage's channels, each with a {@link Dispatcher} of its own (its own pace, pause and retries): the SMTP
 * relay for every campaign but those {@code send.campaigns.<campaign>.channel=webhook} sends to a webhook endpoint.
 */
final class Channels {

    private final Dispatcher smtp;
    private final Map<String, Dispatcher> webhooks = new TreeMap<>();
    private final WebhookConfig config;
    private final List<Dispatcher> all = new ArrayList<>();

    Channels(Vertx vertx, SendConfig config, MailComposer composer, Outcomes outcomes, ObjectMapper json) {
        this.config = config.webhooks();
        this.smtp = new Dispatcher(vertx, config, "smtp", new SmtpChannel(vertx, config, composer), outcomes);
        if (!this.config.endpoints().isEmpty()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(WebhookConfig.DEFAULT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            this.config.endpoints().forEach((name, endpoint) -> webhooks.put(name, new Dispatcher(vertx, config,
                    "webhook:" + name,
                    new WebhookChannel(vertx, endpoint, new WebhookBodies(endpoint.template(), json), client),
                    outcomes)));
        }
        all.add(smtp);
        all.addAll(webhooks.values());
    }

    /** The dispatcher of a campaign's channel. */
    Dispatcher of(String campaign) {
        String name = config.campaignEndpoint().get(campaign);
        return name == null ? smtp : webhooks.get(name);
    }

    int waitingCount() {
        return all.stream().mapToInt(Dispatcher::waitingCount).sum();
    }

    void forget(SendPartition p) {
        all.forEach(d -> d.forget(p));
    }

    void stop() {
        all.forEach(Dispatcher::stop);
    }

    Future<Void> close() {
        return Future.all(all.stream().map(Dispatcher::close).toList()).mapEmpty();
    }
}
