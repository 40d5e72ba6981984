package dev.nudge.event;

/** Raised inside the parser when an event breaks the format; it never leaves {@link EventParser}. */
final class InvalidEventException extends RuntimeException {

    InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
