package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.nudge.scenario.ScenarioRunner;
import dev.nudge.scenario.Scenario;
import dev.nudge.testing.Paths;
import dev.nudge.testing.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
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
    static void loadSchema() {
        // format is only an annotation in 2020-12 unless asked for; the parser does insist on a real timestamp
        schema = Schemas.load("event");
    }

    /**
     * Each native-format line of {@code fixtures/}{@code *}{@code /events.jsonl}, as the runner sends it, but those
     * the scenario expects to be refused.
     */
    static List<Named<JsonNode>> fixtureEvents() throws IOException {
        List<Named<JsonNode>> events = new ArrayList<>();
        for (Path folder : ScenarioRunner.scenarios(Paths.FIXTURES)) {
            Scenario scenario = Scenario.load(folder, JSON);
            for (Scenario.Input in : scenario.inputs()) {
                // Segment calls have their own spec; the schema is for Nudge's format
                if (!SegmentMapping.isSegment(in.event()) && !scenario.expectsRefusal(in)) {
                    events.add(Named.of(scenario.name() + "/events.jsonl:" + in.line(), in.event()));
                }
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
        // a merge that says into whom
        "{'type': 'CustomerMerged', 'eventId': 'm1', 'customerId': 'anon-1', 'timestamp': '2026-03-02T09:00:00Z'}",
        // a currency that is not an ISO 4217 code
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'price': 9.5, 'currency': 'euro'}]}",
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'price': 9.5, 'currency': 978}",
        // a category that is not text
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'category': 7}",
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'category': ['running']}]}",
        // a cart change that is none of the three
        "{'type': 'CartChanged', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'product': {'productId': 's', 'quantity': 1}, 'change': 'SWAP'}",
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
        "{'type': 'CustomerMerged', 'eventId': 'm1', 'customerId': 'anon-1', 'timestamp': '2026-03-02T09:00:00Z', 'mergedInto': 'ana'}",
        // prices with their currency, in any case
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'price': 9.5, 'currency': 'usd'}]}",
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'price': 9.5, 'currency': 'CHF'}",
        "{'type': 'CartChanged', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'product': {'productId': 's', 'quantity': 1}, 'change': 'REMOVE_ALL'}",
        // products with their category
        "{'type': 'ProductViewed', 'eventId': 'v1', 'customerId': 'eve', 'timestamp': '2026-03-02T09:00:00Z', 'productId': 'l', 'category': 'kitchen/knives'}",
        "{'type': 'CartUpdated', 'eventId': 'e1', 'customerId': 'ana', 'timestamp': '2026-03-02T09:00:00Z', 'cartId': 'c', 'items': [{'productId': 's', 'category': 'running'}]}",
    })
    void validEventPassesSchemaAndParser(String singleQuoted) throws IOException {
        JsonNode event = JSON.readTree(singleQuoted.replace('\'', '"'));
        Set<ValidationMessage> errors = schema.validate(event);
        assertTrue(errors.isEmpty(), () -> event + "\n  " + errors);
        assertInstanceOf(ParseResult.Parsed.class, new EventParser(JSON).parse(event), "parser refused " + event);
    }
}
