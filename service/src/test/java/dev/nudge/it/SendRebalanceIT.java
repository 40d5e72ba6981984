package dev.nudge.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances share the send stage's partitions while the relay is down and every mail waits for its next attempt;
 * one stops. The survivor keeps its own waiting mails and takes the other's: once the relay is back, every mail
 * arrives, each once.
 */
@ExtendWith(BrokerExtension.class)
class SendRebalanceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CUSTOMERS = 20;
    private final List<NudgeService> services = new ArrayList<>();
    private GreenMail relay;

    @AfterEach
    void stop() throws Exception {
        for (NudgeService s : services) {
            s.close();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void aRebalanceLosesNoWaitingMailAndSendsNoneTwice() throws Exception {
        int port = TestServices.freePort();
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 4);
        TestServices.relayAt(settings, port, "200ms", "500ms");
        NudgeService survivor = NudgeService.start(TestServices.config(settings));
        services.add(survivor);
        NudgeService leaving = NudgeService.start(TestServices.config(settings));
        services.add(leaving);

        // the relay is down: every mail falls due and waits for its next attempt, on one instance or the other
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < CUSTOMERS; i++) {
            String c = "cus-" + i;
            events.append(i == 0 ? "" : ",").append("""
                    {"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$s",
                     "email":"%1$s@example.com","marketingConsent":true},
                    {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$s","cartId":"k-%1$s",
                     "items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                    {"eventId":"%1$s-v","type":"PageVisited","customerId":"%1$s","timestamp":"%3$s","url":"/"}
                    """.formatted(c, t0, t0.plus(Duration.ofMinutes(32))));
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + survivor.httpPort() + "/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(events.append("]").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        await().atMost(WAIT).until(() -> waiting(survivor) + waiting(leaving) == CUSTOMERS
                && waiting(survivor) > 0 && waiting(leaving) > 0);

        // one instance stops: the survivor takes its partitions, and must keep waiting on its own
        services.remove(leaving);
        leaving.close();
        await().atMost(WAIT).until(() -> waiting(survivor) == CUSTOMERS);

        relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.start();
        await().atMost(WAIT).until(() -> relay.getReceivedMessages().length >= CUSTOMERS && waiting(survivor) == 0);
        List<String> to = new ArrayList<>();
        for (MimeMessage m : relay.getReceivedMessages()) {
            to.add(Mails.header(m, "To"));
        }
        assertEquals(CUSTOMERS, to.size(), "every mail once: " + to);
        assertEquals(CUSTOMERS, to.stream().distinct().count(), "none twice: " + to);
    }

    private static int waiting(NudgeService s) {
        return s.send().waiting();
    }
}
