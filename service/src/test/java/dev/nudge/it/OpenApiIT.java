package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.app.NudgeService;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /openapi.json} describes exactly the operations the server answers, each with its summary and answers. */
@ExtendWith(BrokerExtension.class)
class OpenApiIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch");

    @Test
    void theDocumentListsEveryRouteAndNothingElse() throws Exception {
        // with the demo shop of `nudge run`, whose pages the document lists too
        try (NudgeService service = NudgeService.start(TestServices.config(
                TestServices.settings(BrokerExtension.bootstrap, 1)), new DemoShop("demo-shop-key-0123456789",
                new DemoClock()))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            JsonNode doc = JSON.readTree(r.body());
            assertEquals("3.1.0", doc.get("openapi").asText());

            Set<String> documented = new TreeSet<>();
            Set<String> operationIds = new HashSet<>();
            doc.get("paths").fields().forEachRemaining(path -> METHODS.forEach(m -> {
                JsonNode op = path.getValue().get(m);
                if (op != null) {
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    assertFalse(op.path("summary").asText().isBlank(), m + " " + path.getKey() + " says what it does");
                    assertTrue(op.path("responses").size() > 0, m + " " + path.getKey() + " lists its answers");
                    assertTrue(operationIds.add(op.path("operationId").asText()), "operationIds are unique");
                }
            }));
            assertEquals(new TreeSet<>(service.httpOperations()), documented,
                    "what the server answers is what the document says");
        }
    }
}
