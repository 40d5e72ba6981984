package dev.nudge.send;

/** No e-mail could be rendered for a decision: neither its campaign's templates nor the default ones worked. */
public final class MailRenderException extends Exception {

    public MailRenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
