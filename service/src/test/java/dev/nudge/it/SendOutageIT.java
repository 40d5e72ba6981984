package dev.nudge.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Scrape;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The relay goes down while mails fall due: they wait and are retried, a customer who buys meanwhile gets none, and
 * when the relay comes back every other mail arrives exactly once. The relay is a real SMTP server (GreenMail) on a
 * port of its own, started by the test when it chooses.
 */
@ExtendWith(BrokerExtension.class)
class SendOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private NudgeService service;
    private GreenMail relay;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void whileTheRelayIsDownMailsWaitAndAfterItComesBackArriveExactlyOnceExceptTheOneBoughtMeanwhile() throws Exception {
        int port = TestServices.freePort();
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        TestServices.relayAt(settings, port, "100ms", "400ms");
        service = NudgeService.start(TestServices.config(settings));

        String day = LocalDate.now(ZoneOffset.UTC).minusDays(5).toString();
        relay = startRelay(port);
        post(carts(List.of("cat"), day, "10"));
        await().atMost(WAIT).until(() -> relay.getReceivedMessages().length == 1);
        MimeMessage beforeOutage = relay.getReceivedMessages()[0];

        // the relay goes down; three more mails fall due and nobody answers: each waits for its next attempt
        relay.stop();
        post(carts(List.of("cid", "cora", "vic"), day, "12"));
        await().atMost(WAIT).until(() -> metric("nudge_mails_total", "outcome=\"retried\"") >= 3);

        // one customer buys while her mail waits: the rules revoke it, and the send stage drops it
        post("""
                [{"eventId":"vic-o","type":"CheckoutCompleted","customerId":"vic","timestamp":"%sT12:40:00Z",
                  "cartId":"cart-vic","orderId":"o-1","total":12.5}]
                """.formatted(day));
        await().atMost(WAIT).until(() -> metric("nudge_mails_total", "outcome=\"void\"") >= 1);

        relay = startRelay(port);
        await().atMost(WAIT).until(() -> metric("nudge_mails_waiting", "") == 0
                && relay.getReceivedMessages().length >= 2);

        List<MimeMessage> received = new java.util.ArrayList<>(List.of(relay.getReceivedMessages()));
        received.add(beforeOutage);
        List<String> to = received.stream().map(m -> Mails.header(m, "To")).sorted().toList();
        assertEquals(List.of("cat@example.com", "cid@example.com", "cora@example.com"), to,
                "every mail once, none to the customer who bought");
        assertEquals(received.size(), received.stream().map(m -> Mails.header(m, "X-Nudge-Decision")).distinct()
                .count(), "no decision mailed twice");
        assertEquals(3.0, metric("nudge_mails_total", "outcome=\"sent\""));
    }

    private static GreenMail startRelay(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    /** Profiles and carts at {@code hour}:00, and another customer's visit 31 minutes later: the mails fall due. */
    static String carts(List<String> customers, String day, String hour) {
        StringBuilder events = new StringBuilder("[");
        for (String c : customers) {
            events.append("""
                    {"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$sT09:00:00Z",
                     "email":"%1$s@example.com","firstName":"%1$s","marketingConsent":true},
                    {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$sT%3$s:00:00Z",
                     "cartId":"cart-%1$s","items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":1}]},
                    """.formatted(c, day, hour));
        }
        return events.append("""
                {"eventId":"tick-%2$s","type":"PageVisited","customerId":"someone","timestamp":"%1$sT%2$s:31:01Z",
                 "url":"/"}]""".formatted(day, hour)).toString();
    }

    private void post(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/events")).header("Authorization", Ingest.AUTH)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** The sum of a Prometheus metric's series whose labels contain {@code labels}. */
    private double metric(String name, String labels) throws Exception {
        return Scrape.metric(service.httpPort(), name, labels);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }
}
