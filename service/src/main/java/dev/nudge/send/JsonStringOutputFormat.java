package dev.nudge.send;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;

import java.io.IOException;
import java.io.Writer;

/**
 * FreeMarker's auto-escaping for webhook bodies: every {@code ${...}} is escaped as the inside of a JSON string, so a
 * product named {@code Mug", "admin": true} stays one string; {@code json(x)} writes a whole value as JSON, unescaped.
 */
final class JsonStringOutputFormat extends CommonMarkupOutputFormat<JsonStringOutputFormat.Json> {

    static final JsonStringOutputFormat INSTANCE = new JsonStringOutputFormat();

    private JsonStringOutputFormat() {
    }

    @Override
    public String getName() {
        return "JSONString";
    }

    @Override
    public String getMimeType() {
        return "application/json";
    }

    @Override
    public void output(String textToEsc, Writer out) throws IOException {
        out.write(escapePlainText(textToEsc));
    }

    @Override
    public String escapePlainText(String plainTextContent) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(plainTextContent));
    }

    @Override
    public boolean isLegacyBuiltInBypassed(String builtInName) {
        return false;
    }

    @Override
    protected Json newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
        return new Json(plainTextContent, markupContent);
    }

    /** Text already in this format. */
    static final class Json extends CommonTemplateMarkupOutputModel<Json> {

        Json(String plainTextContent, String markupContent) {
            super(plainTextContent, markupContent);
        }

        @Override
        public JsonStringOutputFormat getOutputFormat() {
            return INSTANCE;
        }
    }
}
