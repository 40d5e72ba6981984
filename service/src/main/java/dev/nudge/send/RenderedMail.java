package dev.nudge.send;

/**
 * One decision's e-mail as text, ready for the mailer: a one-line subject, the HTML and plain-text parts, and the
 * template folder they came from ({@code default} when the campaign's own templates were missing or failed), so a
 * sent mail can be traced to the copy it carried.
 */
public record RenderedMail(String subject, String html, String text, String template) {
}
