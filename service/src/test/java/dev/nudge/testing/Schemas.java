package dev.nudge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** The JSON Schemas Nudge ships ({@code schema/*.schema.json}), loaded as their readers would check them. */
public final class Schemas {

    private Schemas() {
    }

    /** {@code name}: {@code event} or {@code decision}. Formats (date-time) are checked, not just annotations. */
    public static JsonSchema load(String name) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Schemas.class.getResourceAsStream("/schema/" + name + ".schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the decision schema finds wrong with {@code decision}: empty when it keeps the contract. */
    public static Set<ValidationMessage> checkDecision(JsonNode decision) {
        return load("decision").validate(decision);
    }
}
