package dev.nudge.send;

import dev.nudge.config.SendConfig;
import dev.nudge.decision.Decision;
import io.vertx.ext.mail.MailMessage;

import java.nio.file.Path;

/**
 * Renders the mail a decision would produce, with the customer's data, as the send stage composes it (the same
 * {@link MailComposer}, templates and links) but without sending anything: for {@code nudge preview} and the admin
 * page {@code /preview/{decisionId}}. Without an unsubscribe secret, the link carries a token that unsubscribes
 * nobody. A preview may be strict: a failing campaign template is then reported (file and line) instead of replaced by
 * the default templates as the send stage would.
 */
public final class MailPreview {

    /** One rendered mail: who it goes to, its subject and parts, and the template folder they came from. */
    public record Preview(String from, String to, String subject, String text, String html, String template,
                          String unsubscribeUrl) {
    }

    private final MailComposer composer;

    /**
     * Previews with the templates of {@code templatesDir} (the configured ones when null), unsubscribe links under
     * {@code publicUrl} unless send.public-url says, signed with send.unsubscribe-secret when it is set.
     */
    public MailPreview(SendConfig config, Path templatesDir, String publicUrl) {
        MailTemplates templates = new MailTemplates(templatesDir != null ? templatesDir : config.templatesDir(),
                config.shop());
        UnsubscribeTokens tokens = config.unsubscribeSecret() == null ? null
                : new UnsubscribeTokens(config.unsubscribeSecret());
        this.composer = new MailComposer(templates, tokens, config.from(), config.shopUrl(),
                config.publicUrl() != null ? config.publicUrl() : publicUrl);
    }

    /** True when the link of this preview cannot unsubscribe anyone (no secret was configured). */
    public static boolean isPreviewToken(String unsubscribeUrl) {
        return unsubscribeUrl.endsWith("token=" + MailComposer.PREVIEW_TOKEN);
    }

    /**
     * The decision's mail.
     *
     * @param strict report a failing campaign template rather than fall back to the default ones
     * @throws MailRenderException when the templates fail (with {@code strict}, the campaign's own)
     */
    public Preview render(Decision d, boolean strict) throws MailRenderException {
        MailMessage m = composer.compose(d, strict);
        return new Preview(m.getFrom(), m.getTo() == null || m.getTo().isEmpty() ? null : m.getTo().get(0),
                m.getSubject(), m.getText(), m.getHtml(), m.getHeaders().get("X-Nudge-Template"),
                composer.unsubscribeUrl(d));
    }
}
