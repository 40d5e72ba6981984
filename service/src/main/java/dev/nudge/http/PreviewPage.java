package dev.nudge.http;

import dev.nudge.decision.Decision;
import dev.nudge.send.MailPreview;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static dev.nudge.http.UnsubscribeRoutes.escape;

/**
 * The pages of {@code GET /preview/{decisionId}}: the mail as the outbox shows one (headers, the HTML part in a frame
 * sandboxed without scripts, forms or this origin, the text part), with what the decision is and whether it was mailed.
 */
final class PreviewPage {

    private PreviewPage() {
    }

    /** The rendered mail; {@code templateError} says why the campaign's own templates could not be used, if so. */
    static String mail(Decision d, MailPreview.Preview p, String templateError) {
        StringBuilder s = new StringBuilder(OutboxPages.head(p.subject() + " · Nudge preview"));
        s.append(back(d)).append("<h1>").append(escape(p.subject())).append("</h1>");
        s.append("<p class=\"note\" id=\"status\">Preview: rendered now from the current templates, not sent. ")
                .append(escape(status(d))).append("</p>");
        if (templateError != null) {
            s.append("<p class=\"note\" id=\"template-error\"><strong>Template error:</strong> ")
                    .append(escape(templateError)).append(". The send stage would send the mail of the ")
                    .append(escape(p.template())).append(" templates, shown here.</p>");
        }
        s.append("<dl class=\"meta\" id=\"headers\">");
        meta(s, "From", p.from());
        meta(s, "To", p.to() == null ? "(no address in the decision)" : p.to());
        meta(s, "Subject", p.subject());
        meta(s, "Template", p.template());
        meta(s, "Unsubscribe", p.unsubscribeUrl() + (MailPreview.isPreviewToken(p.unsubscribeUrl())
                ? " (preview token: unsubscribes nobody)" : ""));
        s.append("</dl>");
        s.append("<iframe title=\"The mail's HTML part\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" ")
                .append("referrerpolicy=\"no-referrer\" srcdoc=\"").append(escape(p.html())).append("\"></iframe>");
        s.append("<details open><summary>Plain-text part</summary><pre id=\"text\">").append(escape(p.text()))
                .append("</pre></details></main></body></html>");
        return s.toString();
    }

    /** No mail at all: the default templates failed too. */
    static String failed(Decision d, String error, String fallbackError) {
        return OutboxPages.head("No mail · Nudge preview") + back(d) + "<h1>No mail</h1><p class=\"note\" "
                + "id=\"template-error\">" + escape(error) + (fallbackError == null ? "" : "; " + escape(fallbackError))
                + "</p></main></body></html>";
    }

    static String unknown(String id) {
        return OutboxPages.head("Unknown decision · Nudge preview") + "<h1>No decision " + escape(id) + "</h1>"
                + "<p class=\"note\" id=\"unknown\">Nudge keeps the recent decisions of each customer (explain.window, "
                + "explain.per-customer) and this is not one of them. <code>nudge preview " + escape(id)
                + "</code> looks it up in the decisions and audit topics.</p></main></body></html>";
    }

    private static String status(Decision d) {
        String what = "Decision " + d.decisionId() + " (" + d.kind().code() + ") of campaign " + d.campaign()
                + " for customer " + d.customerId() + ", decided " + d.decidedAt() + ".";
        if (d.kind().mails() && (d.recipient() == null || d.recipient().email() == null)) {
            return what + " Not mailed: the decision has no e-mail address; shown as it would have been.";
        }
        return d.kind().mails() ? what : what + " Not mailed: " + d.kind().code()
                + (d.reason() == null ? "" : " (" + d.reason() + ")") + "; shown as it would have been.";
    }

    private static String back(Decision d) {
        return "<p><a href=\"/customers/" + escape(URLEncoder.encode(d.customerId(), StandardCharsets.UTF_8)
                .replace("+", "%20")) + "/decisions\">← Customer " + escape(d.customerId()) + "</a></p>";
    }

    private static void meta(StringBuilder s, String name, String value) {
        s.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>");
    }
}
