package dev.nudge.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import freemarker.cache.FileTemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.utility.DeepUnwrap;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of a webhook call: the decision record as JSON ({@code schema/decision.schema.json}), or what the
 * endpoint's FreeMarker template makes of it (an ESP's own API, such as Braze's campaign trigger). A template sees the
 * decision's fields ({@code decisionId}, {@code kind}, {@code customerId}, {@code campaign}, {@code payload},
 * {@code recipient}, ...), escapes every {@code ${...}} for a JSON string, writes a whole value with
 * {@code ${json(payload)}}, and must give JSON, or nothing (a decision it does not send: a revocation its ESP cannot
 * cancel). Edited templates are used within two seconds. Thread-safe.
 */
final class WebhookBodies {

    private final ObjectMapper json;
    private final DecisionJson decisions;
    private final Configuration config;
    private final String templateName;
    private final Path template;

    /** {@code template} null: the decision record itself. */
    WebhookBodies(Path template, ObjectMapper json) {
        this.json = json;
        this.decisions = new DecisionJson(json);
        this.template = template == null ? null : template.toAbsolutePath().normalize();
        if (this.template == null) {
            config = null;
            templateName = null;
            return;
        }
        if (!Files.isRegularFile(this.template)) {
            throw new IllegalArgumentException("webhook body template " + this.template + " is not a file");
        }
        config = new Configuration(Configuration.VERSION_2_3_35);
        try {
            config.setTemplateLoader(new FileTemplateLoader(this.template.getParent().toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read webhook templates in " + this.template.getParent(), e);
        }
        templateName = this.template.getFileName().toString();
        config.setDefaultEncoding(StandardCharsets.UTF_8.name());
        config.setOutputFormat(JsonStringOutputFormat.INSTANCE);
        config.setRecognizeStandardFileExtensions(false);
        // numbers and booleans as JSON writes them (1234.5, true), never in a locale's format (1,234.5)
        config.setNumberFormat("computer");
        config.setBooleanFormat("c");
        config.setLocale(Locale.ROOT);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setLocalizedLookup(false);
        config.setTemplateUpdateDelayMilliseconds(MailTemplates.UPDATE_DELAY_MILLIS);
        config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        try {
            // a template that does not parse refuses the start, not the first decision
            config.getTemplate(templateName);
        } catch (IOException e) {
            throw new IllegalArgumentException("webhook body template " + this.template + ": " + e.getMessage());
        }
    }

    /**
     * The body for {@code d}, compact JSON; null when the template gives nothing for it.
     *
     * @throws MailRenderException when the template fails or gives something that is not JSON
     */
    byte[] render(Decision d) throws MailRenderException {
        JsonNode tree = decisions.tree(d);
        if (config == null) {
            return bytes(tree);
        }
        String out;
        try {
            Template t = config.getTemplate(templateName);
            Map<String, Object> model = new HashMap<>(json.convertValue(tree, Map.class));
            model.put("json", (TemplateMethodModelEx) args -> {
                if (args.size() != 1) {
                    throw new TemplateModelException("json(value) takes one value");
                }
                Object value = DeepUnwrap.unwrap((freemarker.template.TemplateModel) args.get(0));
                try {
                    return JsonStringOutputFormat.INSTANCE.fromMarkup(json.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw new TemplateModelException("json(value): " + e.getOriginalMessage());
                }
            });
            StringWriter w = new StringWriter();
            t.process(model, w);
            out = w.toString();
        } catch (IOException | TemplateException | RuntimeException e) {
            throw new MailRenderException("webhook body template " + templateName + " failed for decision "
                    + d.decisionId() + ": " + oneLine(e), e);
        }
        if (out.isBlank()) {
            return null;
        }
        try {
            return bytes(json.readTree(out));
        } catch (JsonProcessingException e) {
            throw new MailRenderException("webhook body template " + templateName + " gave no JSON for decision "
                    + d.decisionId() + ": " + e.getOriginalMessage(), e);
        }
    }

    private byte[] bytes(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private static String oneLine(Exception e) {
        String m = e instanceof TemplateException te ? te.getMessageWithoutStackTop() : String.valueOf(e.getMessage());
        int tip = m.indexOf("\n----");
        return (tip < 0 ? m : m.substring(0, tip)).replaceAll("\\s+", " ").strip();
    }
}
