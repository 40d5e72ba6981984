package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.Scrape;
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
                post(service, SendOutageIT.carts(List.of("ann", "ben", "cai", "dot"), day, "10"));
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.accepted() == 4);
                List<ThrottlingRelay.Offer> offers = relay.offers();
                assertTrue(offers.get(0).throttled(), "the first mail was told to slow down");
                long gap = offers.get(1).atMillis() - offers.get(0).atMillis();
                assertTrue(gap >= 900, "the next mail waited for the pause, not only the refused one: " + gap + " ms");
                assertEquals(5, offers.size(), "four mails, one offered twice");
                assertEquals(1.0, Scrape.metric(service.httpPort(), "nudge_relay_throttled_total",
                        "channel=\"smtp\""), "the relay's one request to slow down is counted");
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
}
