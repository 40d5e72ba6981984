package dev.nudge.send;

import dev.nudge.decision.Decision;
import io.vertx.core.MultiMap;
import io.vertx.ext.mail.MailMessage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Makes the message of a decision: rendered parts, the recipient, and the headers bulk senders need, above all the
 * one-click unsubscribe of RFC 8058 ({@code List-Unsubscribe} with an HTTPS link, {@code List-Unsubscribe-Post}).
 */
final class MailComposer {

    private final MailTemplates templates;
    private final UnsubscribeTokens tokens;
    private final String from;
    private final String shopUrl;
    private final String publicUrl;

    MailComposer(MailTemplates templates, UnsubscribeTokens tokens, String from, String shopUrl, String publicUrl) {
        this.templates = templates;
        this.tokens = tokens;
        this.from = from;
        this.shopUrl = shopUrl;
        this.publicUrl = publicUrl;
    }

    /** Stands for the token in a preview made without the unsubscribe secret: it unsubscribes nobody. */
    static final String PREVIEW_TOKEN = "preview-only-unsubscribes-nobody";

    /**
     * The unsubscribe link of a decision's mail: {@code POST} it (one click) or open it (a confirmation page). Without
     * tokens (a preview that has no secret) the link carries {@link #PREVIEW_TOKEN}, which no secret verifies.
     */
    String unsubscribeUrl(Decision d) {
        String token = tokens == null ? PREVIEW_TOKEN : tokens.sign(d.customerId(), d.campaign(), d.decisionId(),
                d.recipient() == null ? null : d.recipient().email());
        return publicUrl + "/unsubscribe?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    MailMessage compose(Decision d) throws MailRenderException {
        return compose(d, false);
    }

    /** The message; when {@code strict}, a failing campaign template is thrown, not replaced by the default one. */
    MailMessage compose(Decision d, boolean strict) throws MailRenderException {
        String unsubscribe = unsubscribeUrl(d);
        RenderedMail r = templates.render(d, new MailLinks(shopUrl, unsubscribe), strict);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                // the same decision always gets the same Message-ID: a relay or a mailbox that saw it drops a copy
                .add("Message-ID", "<" + d.decisionId() + "@nudge>")
                .add("List-Unsubscribe", "<" + unsubscribe + ">")
                .add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .add("X-Nudge-Decision", d.decisionId())
                .add("X-Nudge-Campaign", d.campaign())
                .add("X-Nudge-Template", r.template());
        return new MailMessage()
                .setFrom(from)
                .setTo(d.recipient() == null ? null : d.recipient().email())
                .setSubject(r.subject())
                .setText(r.text())
                .setHtml(r.html())
                .setHeaders(headers);
    }
}
