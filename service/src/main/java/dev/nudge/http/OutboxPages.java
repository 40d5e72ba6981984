package dev.nudge.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.nudge.http.UnsubscribeRoutes.escape;

/** The outbox's two pages, readable from a phone's 400 px up: the list of mails, and one mail with its headers. */
final class OutboxPages {

    /** The headers a person checks first, in this order; the rest are under "All headers". */
    static final List<String> SHOWN = List.of("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe",
            "List-Unsubscribe-Post", "X-Nudge-Campaign", "X-Nudge-Decision", "X-Nudge-Template");

    private static final String STYLE = "<style>"
            + "body{font-family:system-ui,sans-serif;margin:0;padding:12px;color:#27272a;background:#fafafa}"
            + "main{max-width:60em;margin:0 auto}h1{font-size:1.4em;margin:.3em 0}"
            + "p.note{margin:.4em 0 1em;color:#52525b}ol{list-style:none;margin:0;padding:0}"
            + "li.mail{background:#fff;border:1px solid #e4e4e7;border-radius:6px;margin:0 0 8px;padding:10px 12px}"
            + "li.mail a{font-weight:600;font-size:1.05em;color:#1d4ed8;text-decoration:none}"
            + ".meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 10px;margin:6px 0 0;"
            + "font-size:.92em}.meta dt{color:#71717a}.meta dd{margin:0;overflow-wrap:anywhere}"
            + "iframe{width:100%;height:75vh;border:1px solid #e4e4e7;border-radius:6px;background:#fff;margin:10px 0}"
            + "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e4e4e7;padding:8px}"
            + "details{margin:8px 0}</style>";

    private OutboxPages() {
    }

    /** The list, newest first: each mail's subject (a link to it), from, to and time. */
    static String list(int received, JsonArray mails, Path keptIn) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < mails.size(); i++) {
            JsonObject m = mails.getJsonObject(i);
            String subject = m.getString("subject") == null ? "(no subject)" : m.getString("subject");
            rows.append("<li class=\"mail\"><a href=\"").append(escape(m.getString("view"))).append("\">")
                    .append(escape(subject)).append("</a>")
                    .append(meta(Map.of("From", m.getString("from"), "To", m.getString("to"),
                            "Time", m.getString("time") == null ? m.getString("date") : m.getString("time"),
                            "Campaign", m.getString("campaign")), List.of("From", "To", "Time", "Campaign")))
                    .append("</li>");
        }
        String kept = keptIn == null
                ? "These mails are kept in memory only: a restart empties the outbox (set send.smtp.embedded-outbox-dir "
                  + "to keep them)."
                : "These mails are kept in " + escape(keptIn.toString()) + " and survive a restart.";
        String shown = mails.size() < received ? " (the newest " + mails.size() + " shown)" : "";
        return head("Nudge outbox") + "<h1>Outbox: " + received + (received == 1 ? " mail" : " mails") + " received"
                + shown + "</h1><p class=\"note\">What Nudge's embedded SMTP server received: nothing here left this "
                + "machine. " + kept + "</p>" + (mails.isEmpty() ? "<p>No mail yet.</p>" : "<ol>" + rows + "</ol>")
                + "</main></body></html>";
    }

    /**
     * One mail: its main headers, the HTML part in a frame sandboxed without scripts (it gets no access to this page
     * or its origin), the text part and every header below.
     */
    static String mail(int n, JsonObject summary, List<String[]> headers, String html, String text) {
        List<String[]> all = new ArrayList<>(headers);
        StringBuilder main = new StringBuilder();
        for (String name : SHOWN) {
            for (String[] h : all) {
                if (h[0].equalsIgnoreCase(name)) {
                    main.append("<dt>").append(escape(h[0])).append("</dt><dd>").append(escape(h[1])).append("</dd>");
                }
            }
        }
        StringBuilder every = new StringBuilder();
        for (String[] h : all) {
            every.append(escape(h[0])).append(": ").append(escape(h[1])).append('\n');
        }
        String subject = summary.getString("subject") == null ? "(no subject)" : summary.getString("subject");
        String body = html != null
                ? "<iframe title=\"The mail's HTML part\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" "
                  + "referrerpolicy=\"no-referrer\" srcdoc=\"" + escape(html) + "\"></iframe>"
                : "<p>This mail has no HTML part.</p>";
        return head(subject + " · Nudge outbox") + "<p><a href=\"/outbox\">← Outbox</a> · mail " + n + "</p><h1>"
                + escape(subject) + "</h1><dl class=\"meta\" id=\"headers\">" + main + "</dl>" + body
                + (text == null ? "" : "<details><summary>Plain-text part</summary><pre>" + escape(text)
                + "</pre></details>")
                + "<details><summary>All headers</summary><pre>" + every + "</pre></details></main></body></html>";
    }

    /** Every header of the mail, in its order, decoded. */
    static List<String[]> headers(MimeMessage m) throws MessagingException {
        List<String[]> out = new ArrayList<>();
        for (Header h : Collections.list(m.getAllHeaders())) {
            out.add(new String[] {h.getName(), OutboxRoutes.header(m, h.getName())});
        }
        // a header named twice is listed once, with both values
        List<String[]> once = new ArrayList<>();
        for (String[] h : out) {
            if (once.stream().noneMatch(o -> o[0].equalsIgnoreCase(h[0]))) {
                once.add(h);
            }
        }
        return once;
    }

    private static String meta(Map<String, String> values, List<String> order) {
        StringBuilder dl = new StringBuilder("<dl class=\"meta\">");
        for (String k : order) {
            String v = values.get(k);
            if (v != null && !v.isEmpty()) {
                dl.append("<dt>").append(k).append("</dt><dd>").append(escape(v)).append("</dd>");
            }
        }
        return dl.append("</dl>").toString();
    }

    static String head(String title) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title>" + STYLE + "</head><body><main>";
    }
}
