package dev.nudge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.app.NudgeService;
import dev.nudge.config.NudgeConfig;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoShop;
import dev.nudge.event.Json;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer's second {@code nudge run} shows mails as the first did: two demo runs back to back over one broker (the
 * second carries on from what the first left), each with mails in its outbox within a minute of its start, whatever
 * the hour of the wall clock (a run never starts in the simulated night). The one test that waits on the wall clock:
 * what it checks is how soon a person sees a mail.
 */
@ExtendWith(BrokerExtension.class)
class DemoRunsIT {

    private static final Duration A_MINUTE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSecondRunShowsNewMailsWithinAMinuteLikeTheFirst() throws Exception {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 2);
        // as deploy/nudge.properties has it: quiet partitions' time runs on, as fast as the shoppers'
        s.put("engine.idle-tick", "1s");
        NudgeConfig config = TestServices.config(s);
        config = config.withEngine(config.engine().withClockSpeed(config.demo().speed()));

        List<String> first = mailsOfARun(config, "cust-");
        assertTrue(first.stream().anyMatch(to -> to.startsWith("cust-")), "the first run's shoppers: " + first);

        // the second run's own shoppers are mailed, not held back by the first run's mails
        List<String> second = mailsOfARun(config, "r2-cust-");
        assertTrue(second.stream().anyMatch(to -> to.startsWith("r2-cust-")), second.toString());
    }

    /** Starts a demo run, waits at most a minute for a mail to a shopper of {@code prefix}, stops it; the addresses. */
    private static List<String> mailsOfARun(NudgeConfig config, String prefix) throws Exception {
        DemoClock clock = new DemoClock();
        List<String> to = new ArrayList<>();
        try (NudgeService service = NudgeService.start(config, new DemoShop("demo-shop-key-0123456789", clock))) {
            Demo.start(service, clock, "http://127.0.0.1:" + service.httpPort() + "/shop");
            URI outbox = URI.create("http://127.0.0.1:" + service.httpPort() + "/outbox");
            await().atMost(A_MINUTE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode list = Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(outbox).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                to.clear();
                list.path("mails").forEach(m -> to.add(m.path("to").asText()));
                return to.stream().anyMatch(a -> a.startsWith(prefix));
            });
        }
        return to;
    }
}
