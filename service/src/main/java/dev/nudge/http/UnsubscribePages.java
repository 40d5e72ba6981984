package dev.nudge.http;

import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The pages a customer sees from a mail's unsubscribe link, made for a phone: the shop's name, the address concerned
 * (masked), one large button, and after unsubscribing a way back. Everything shown is escaped; the pages need no
 * script and load only {@code /unsubscribe.css}, so the strict policy of the other pages applies.
 */
final class UnsubscribePages {

    private final String shop;

    UnsubscribePages(String shopName) {
        this.shop = shopName;
    }

    /** Before anything happens: link scanners open every link of a mail, so only the button unsubscribes. */
    WebPages.Page confirm(String token, String masked, int round) {
        return page("Unsubscribe", "<h1>Unsubscribe</h1>"
                + "<p>No more marketing e-mail from " + escape(shop) + " to " + who(masked, "this address") + ".</p>"
                + form("/unsubscribe", token, round, "unsubscribe", "", "Unsubscribe")
                + "<p class=\"small\">Nothing changes until you press the button.</p>");
    }

    WebPages.Page unsubscribed(String token, String masked, int round) {
        return page("You are unsubscribed", "<h1>You are unsubscribed</h1>"
                + "<p>" + who(masked, "This address") + " will get no more marketing e-mail from " + escape(shop)
                + ".</p>"
                + "<p>Unsubscribed by mistake?</p>"
                + form("/resubscribe", token, round, "resubscribe", " class=\"secondary\"", "Subscribe again"));
    }

    WebPages.Page resubscribed(String token, String masked, int round) {
        return page("You are subscribed again", "<h1>You are subscribed again</h1>"
                + "<p>" + who(masked, "This address") + " will get e-mail from " + escape(shop) + " again.</p>"
                + form("/unsubscribe", token, round + 1, "unsubscribe", " class=\"secondary\"", "Unsubscribe"));
    }

    WebPages.Page invalid() {
        return page("This link is not valid", "<h1>This link is not valid</h1>"
                + "<p>The link was changed or is incomplete. Use the link in the e-mail you received.</p>");
    }

    WebPages.Page failed() {
        return page("Please try again", "<h1>Please try again</h1>"
                + "<p>Your choice could not be recorded just now. Nothing has changed: please try again in a minute."
                + "</p>");
    }

    /** The address concerned, masked ({@code a***@example.com}); a link from before it was carried says less. */
    private static String who(String masked, String unknown) {
        return masked == null ? unknown : "<span class=\"address\">" + escape(masked) + "</span>";
    }

    /**
     * A form that posts the token back: the token is the capability (signed, one customer, one mail), so no other
     * anti-forgery value is needed; {@code round} tells a second unsubscribe after a re-subscribe from a double click.
     */
    private static String form(String action, String token, int round, String id, String buttonClass, String label) {
        String url = action + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return "<form method=\"post\" action=\"" + escape(url) + "\">"
                + "<input type=\"hidden\" name=\"round\" value=\"" + round + "\">"
                + "<button type=\"submit\" id=\"" + id + "\"" + buttonClass + ">" + label + "</button></form>";
    }

    private WebPages.Page page(String title, String main) {
        return new WebPages.Page("text/html; charset=utf-8", Buffer.buffer("<!doctype html>\n<html lang=\"en\">\n"
                + "<head>\n"
                + "<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"robots\" content=\"noindex\">\n"
                + "<title>" + escape(title) + " | " + escape(shop) + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"/unsubscribe.css\">\n"
                + "</head>\n<body>\n<main>\n<p class=\"shop\">" + escape(shop) + "</p>\n" + main + "\n</main>\n"
                + "</body>\n</html>\n"));
    }

    private static String escape(String s) {
        return UnsubscribeRoutes.escape(s);
    }
}
