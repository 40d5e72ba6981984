package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.nudge.scenario.ScenarioRunner;
import dev.nudge.scenario.ScenarioTime;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code event.schema.json} and the parser agree: the scenarios' native events and the edge cases below. */
class EventSchemaTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        // format is only an annotation in 2020-12 unless asked for; the parser does insist on a real timestamp
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = EventSchemaTest.class.getResourceAsStream("/schema/event.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    /** Each native-format line of {@code fixtures/}{@code *}{@code /events.jsonl}, as the runner would send it. */
    static List<Named<JsonNode>> fixtureEvents() throws IOException {
        List<Named<JsonNode>> events = new ArrayList<>();
        for (Path scenario : ScenarioRunner.scenarios(Paths.FIXTURES)) {
            List<String> lines = Files.readAllLines(scenario.resolve("events.jsonl"));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("//")) {
                    continue;
                }
                ObjectNode node = (ObjectNode) JSON.readTree(line);
                if (SegmentMapping.isSegment(node)) {
                    continue; // Segment calls have their own spec; the schema is for Nudge's format
                }
                node.remove("note");
                JsonNode at = node.remove("at");
                if (at != null) {
                    node.put("timestamp", ScenarioTime.parse(at.asText()).toString());
                }
                events.add(Named.of(scenario.getFileName() + "/events.jsonl:" + (i + 1), node));
            }
        }
        assertFalse(events.isEmpty(), "no native events found in " + Paths.FIXTURES);
        return events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureEvents")
    void fixtureEventMatchesSchema(JsonNode event) {
        Set<ValidationMessage> errors = schema.validate(event);
        assertTrue(errors.isEmpty(), () -> event + "\n  " + errors);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // missing eventId
        "{'type': 'PageVisited', 'customerId': 'fay', 'timestamp': '2026-03-02T09:00:00Z', 'url': 'https://x/'}",
        // blank customerId
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': ' ', 'timestamp': '2026-03-02T09:00:00Z', 'url': 'https://x/'}",
        // unknown type
        "{'type': 'OrderShipped', 'eventId': 'p1', 'customerId': 'fay', 'timestamp': '2026-03-02T09:00:00Z'}",
        // timestamp that is not a date-time
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': 'fay', 'timestamp': 'yesterday', 'url': 'https://x/'}",
        // CartUpdated without cartId
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'items': []}",
        // items not an array
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': {}}",
        // an item that is not an object
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': ['shoe']}",
        // negative quantity
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'quantity': -1}]}",
        // price that is not a number
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'price': 'cheap'}",
        // CheckoutCompleted without orderId
        "{'type': 'CheckoutCompleted', 'eventId': 'c1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z'}",
        // a quantity with a fraction
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'quantity': 1.5}]}",
        // a quantity as text
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'quantity': '2'}]}",
        // an id with a fraction
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': 7.5, 'timestamp': '2026-03-02T09:00:00Z', 'url': 'https://x/'}",
        // a url that is a number: only ids may be numbers
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': 'fay', 'timestamp': '2026-03-02T09:00:00Z', 'url': 42}",
        // a product name that is a number
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'name': 1984}",
        // a timestamp before 1970: a clock that was never set
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': 'fay', 'timestamp': '1969-12-31T23:59:59Z', 'url': 'https://x/'}",
        // a timestamp in epoch milliseconds
        "{'type': 'PageVisited', 'eventId': 'p1', 'customerId': 'fay', 'timestamp': 1772442000000, 'url': 'https://x/'}",
    })
    void invalidEventFailsSchemaAndParser(String singleQuoted) throws IOException {
        JsonNode event = JSON.readTree(singleQuoted.replace('\'', '"'));
        assertFalse(schema.validate(event).isEmpty(), "schema accepted " + event);
        // the schema documents the parser: what it refuses, the parser refuses too
        assertInstanceOf(ParseResult.Rejected.class, new EventParser(JSON).parse(event), "parser accepted " + event);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // ids as whole numbers, as shops that key by integer send them
        "{'type': 'CartUpdated', 'eventId': 1001, 'customerId': 42, 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 7, 'items': [{'productId': 123456, 'quantity': 2}]}",
        "{'type': 'CheckoutCompleted', 'eventId': 'c1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 7, 'orderId': 5001}",
        // a whole quantity written with a decimal point is still a whole number
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'quantity': 2.0}]}",
    })
    void validEventPassesSchemaAndParser(String singleQuoted) throws IOException {
        JsonNode event = JSON.readTree(singleQuoted.replace('\'', '"'));
        Set<ValidationMessage> errors = schema.validate(event);
        assertTrue(errors.isEmpty(), () -> event + "\n  " + errors);
        assertInstanceOf(ParseResult.Parsed.class, new EventParser(JSON).parse(event), "parser refused " + event);
    }
}
