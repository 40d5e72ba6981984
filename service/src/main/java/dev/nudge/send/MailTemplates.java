package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import freemarker.cache.FileTemplateLoader;
import freemarker.core.Environment;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a decision's e-mail from the FreeMarker templates of its campaign's folder ({@code subject.ftl},
 * {@code html.ftlh}, {@code text.ftl}), and from the {@code default} folder when the campaign has none or its
 * templates fail, so that a broken template costs the campaign its copy but never the customer their mail.
 * Templates edited on disk are used within {@link #UPDATE_DELAY_MILLIS}. Thread-safe. The layout, the data model and
 * the rules are in deploy/templates/README.md.
 */
public final class MailTemplates {

    /** The longest subject a mail gets. */
    static final int MAX_SUBJECT = 150;

    private static final Logger LOG = LoggerFactory.getLogger(MailTemplates.class);
    static final String DEFAULT = "default";
    /** How long a template is used before its file is checked for changes. */
    static final long UPDATE_DELAY_MILLIS = 2_000;
    // a folder name, never a path: a campaign read from Kafka must not reach outside the templates folder
    private static final Pattern CAMPAIGN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final Path dir;
    private final Configuration config;
    private final SendConfig.Shop shop;

    /** Templates for the shipped placeholder shop ({@link SendConfig.Shop#DEFAULT}). */
    public MailTemplates(Path dir) {
        this(dir, SendConfig.Shop.DEFAULT);
    }

    /** Templates whose mails name {@code shop} in their footer and price in its currency unless an item names one. */
    public MailTemplates(Path dir, SendConfig.Shop shop) {
        this.shop = shop;
        this.dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.dir.resolve(DEFAULT))) {
            throw new IllegalArgumentException("no default mail templates: " + this.dir.resolve(DEFAULT)
                    + " is not a folder");
        }
        config = new Configuration(Configuration.VERSION_2_3_35);
        try {
            config.setTemplateLoader(new FileTemplateLoader(this.dir.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mail templates in " + this.dir, e);
        }
        config.setDefaultEncoding(StandardCharsets.UTF_8.name());
        config.setOutputEncoding(StandardCharsets.UTF_8.name());
        // .ftlh escapes HTML in every ${...}: a product named "<b>Mug & Co</b>" is shown, not interpreted
        config.setRecognizeStandardFileExtensions(true);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        // a failure is logged once, by render, with the campaign and the decision it concerns
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setTemplateUpdateDelayMilliseconds(UPDATE_DELAY_MILLIS);
        // one file per part; subject_de.ftl and the like would be looked up on every render for nothing
        config.setLocalizedLookup(false);
        // templates are edited by whoever writes the copy: they get data, not Java classes (?new)
        config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        config.setLocale(Locale.ENGLISH);
    }

    /**
     * The decision's mail, from its campaign's templates or else the default ones.
     *
     * @throws MailRenderException when the default templates fail too
     */
    public RenderedMail render(Decision d, MailLinks links) throws MailRenderException {
        return render(d, links, false);
    }

    /**
     * The decision's mail as {@link #render(Decision, MailLinks)} makes it, or, when {@code strict}, from its
     * campaign's own templates only: a failure of those is thrown (its file and line in the message) rather than
     * covered by the default templates, so that a preview shows the copy being written, not the fallback.
     */
    public RenderedMail render(Decision d, MailLinks links, boolean strict) throws MailRenderException {
        Map<String, Object> model = MailModel.of(d, links, shop);
        Locale locale = MailModel.locale(d.recipient());
        String campaign = d.campaign();
        if (campaign != null && CAMPAIGN.matcher(campaign).matches() && !DEFAULT.equals(campaign)
                && Files.isDirectory(dir.resolve(campaign))) {
            try {
                return render(campaign, model, locale);
            } catch (IOException | TemplateException | IllegalStateException e) {
                if (strict) {
                    throw new MailRenderException("the templates of campaign " + campaign + " failed: "
                            + describe(e), e);
                }
                LOG.warn("mail of campaign {} for decision {} rendered from the default templates: {}", campaign,
                        d.decisionId(), describe(e));
            }
        }
        try {
            return render(DEFAULT, model, locale);
        } catch (IOException | TemplateException | IllegalStateException e) {
            throw new MailRenderException("no mail for decision " + d.decisionId() + " of campaign " + campaign
                    + ": the default templates failed: " + describe(e), e);
        }
    }

    private RenderedMail render(String folder, Map<String, Object> model, Locale locale)
            throws IOException, TemplateException {
        String subject = WHITESPACE.matcher(part(folder, "subject.ftl", model, locale)).replaceAll(" ").strip();
        if (subject.length() > MAX_SUBJECT) {
            // a subject is read in one glance; mail clients cut long ones anyway
            subject = subject.substring(0, MAX_SUBJECT - 1).strip() + "…";
        }
        if (subject.isEmpty()) {
            throw new IllegalStateException(folder + "/subject.ftl gave an empty subject");
        }
        String html = part(folder, "html.ftlh", model, locale);
        String text = part(folder, "text.ftl", model, locale);
        // a part that printed nothing is a template that went wrong, not a mail to send
        if (html.isBlank() || text.isBlank()) {
            throw new IllegalStateException(folder + (html.isBlank() ? "/html.ftlh" : "/text.ftl") + " gave nothing");
        }
        // a marketing mail without its unsubscribe link must not go out: an edited template may have dropped it
        Object unsubscribe = model.get("links") instanceof Map<?, ?> links ? links.get("unsubscribe") : null;
        if (unsubscribe != null && (!text.contains(unsubscribe.toString())
                || !html.contains(unsubscribe.toString().replace("&", "&amp;")) && !html.contains(unsubscribe.toString()))) {
            throw new IllegalStateException(folder + (text.contains(unsubscribe.toString()) ? "/html.ftlh" : "/text.ftl")
                    + " has no unsubscribe link (${links.unsubscribe})");
        }
        return new RenderedMail(subject, html, text, folder);
    }

    private String part(String folder, String file, Map<String, Object> model, Locale locale)
            throws IOException, TemplateException {
        Template t = config.getTemplate(folder + "/" + file);
        StringWriter out = new StringWriter();
        Environment env = t.createProcessingEnvironment(model, out);
        // the customer's locale formats numbers: 1.234,50 for de-DE; set per render, the configuration is shared
        env.setLocale(locale);
        env.process();
        return out.toString();
    }

    /** FreeMarker's message on one line, where it went wrong first, without the FTL stack trace and tips it appends. */
    private static String describe(Exception e) {
        String message;
        if (e instanceof freemarker.core.ParseException pe) {
            // its message already says "in template ... in line 3, column 5"
            message = pe.getMessage();
        } else if (e instanceof TemplateException te) {
            message = te.getMessageWithoutStackTop();
            if (te.getTemplateSourceName() != null && te.getLineNumber() != null) {
                message = te.getTemplateSourceName() + " line " + te.getLineNumber() + ", column "
                        + te.getColumnNumber() + ": " + message;
            }
        } else {
            message = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        int tip = message.indexOf("\n----");
        return WHITESPACE.matcher(tip < 0 ? message : message.substring(0, tip)).replaceAll(" ").strip();
    }
}
