package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;
import dev.nudge.testing.ThrottlingRelay;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay that answers "421 slow down" slows the whole channel, not only the mail it refused: the next mail is not
 * offered until the pause is over, and every mail still arrives once.
 */
@ExtendWith(BrokerExtension.class)
class SendThrottleIT {

    @Test
    void aThrottlingAnswerPausesEveryMailNotOnlyTheOneRefused() throws Exception {
        try (ThrottlingRelay relay = new ThrottlingRelay(1)) {
            Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
            // a pause of 1 to 2 s (half of each wait is random); one mail at a time, so the order shows
            TestServices.relayAt(settings, relay.port(), "2s", "2s");
            settings.put("send.max-in-flight", "1");
            try (NudgeService service = NudgeService.start(TestServices.config(settings))) {
                String day = LocalDate.now(ZoneOffset.UTC).minusDays(5).toString();
                post(service, carts(List.of("ann", "ben", "cai", "dot"), day));
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.accepted() == 4);
                List<ThrottlingRelay.Offer> offers = relay.offers();
                assertTrue(offers.get(0).throttled(), "the first mail was told to slow down");
                long gap = offers.get(1).atMillis() - offers.get(0).atMillis();
                assertTrue(gap >= 900, "the next mail waited for the pause, not only the refused one: " + gap + " ms");
                assertEquals(5, offers.size(), "four mails, one offered twice");
            }
        }
    }

    private static void post(NudgeService service, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.httpPort() + "/events"))
                .header("Authorization", Ingest.AUTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** Profiles and carts at 10:00, and another customer's visit at 10:31:01: the mails fall due together. */
    private static String carts(List<String> customers, String day) {
        StringBuilder events = new StringBuilder("[");
        for (String c : customers) {
            events.append("""
                    {"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$sT09:00:00Z",
                     "email":"%1$s@example.com","firstName":"%1$s","marketingConsent":true},
                    {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$sT10:00:00Z",
                     "cartId":"cart-%1$s","items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":1}]},
                    """.formatted(c, day));
        }
        return events.append("""
                {"eventId":"tick","type":"PageVisited","customerId":"someone","timestamp":"%sT10:31:01Z","url":"/"}]"""
                .formatted(day)).toString();
    }
}
