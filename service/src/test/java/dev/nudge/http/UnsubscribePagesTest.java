package dev.nudge.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unsubscribe pages as text: escaped, and saying no more than the token knows. */
class UnsubscribePagesTest {

    private final UnsubscribePages pages = new UnsubscribePages("<b>Bo's</b> \"shop\"");

    @Test
    void theShopNameIsShownAsTextNeverAsMarkup() {
        String page = pages.confirm("t.sig", "a***@example.com", 0).text();
        assertTrue(page.contains("&lt;b&gt;Bo&#39;s&lt;/b&gt; &quot;shop&quot;"), page);
        assertFalse(page.contains("<b>"), page);
    }

    @Test
    void aTokenFromBeforeTheMaskedAddressSaysThisAddress() {
        assertTrue(pages.confirm("t.sig", null, 0).text().contains(" to this address."));
        assertTrue(pages.unsubscribed("t.sig", null, 0).text().contains("This address will get no more"));
    }

    @Test
    void afterSubscribingAgainTheUnsubscribeButtonPostsTheNextRound() {
        String page = pages.resubscribed("t.sig", "a***@example.com", 2).text();
        assertTrue(page.contains("action=\"/unsubscribe?token=t.sig\"><input type=\"hidden\" name=\"round\" value=\"3\">"),
                page);
    }
}
