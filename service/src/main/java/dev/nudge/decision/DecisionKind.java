package dev.nudge.decision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;
import java.util.Set;

/**
 * What a decision is, and so where it goes: the one routing table from kind to topic. Every consumer (the send stage,
 * the explain log, the console, the benchmarks) asks the kind, never which fields happen to be set.
 */
public enum DecisionKind {

    /** Send the mail. */
    MAIL(false, Set.of(Route.DECISIONS)),
    /** Send the mail although a guard could not be satisfied (its reason says which); the audit shows the bypass. */
    FALLBACK(true, Set.of(Route.DECISIONS, Route.AUDIT)),
    /** The mail passed every guard but the customer is in the campaign's holdout group: recorded, never sent. */
    HOLDOUT(false, Set.of(Route.DECISIONS, Route.AUDIT)),
    /** The mail waits (quiet hours, a quiet source) until {@code heldUntil} at the latest; what becomes of it follows. */
    HELD(true, Set.of(Route.AUDIT)),
    /** The rules decided not to send the mail, for a reason ({@code stale-data}, {@code frequency-cap}, ...). */
    SUPPRESSED(true, Set.of(Route.AUDIT)),
    /** Revokes the mail of the same id, decided earlier (the customer bought meanwhile): drop it unless it went out. */
    VOIDED(true, Set.of(Route.DECISIONS));

    /** The topics a decision can go to. */
    public enum Route {
        /** What the send stage reads: mails, holdouts, revocations. */
        DECISIONS,
        /** Why a mail did not go out, or went out by a fallback: "why did this customer (not) get the mail?". */
        AUDIT
    }

    private final boolean needsReason;
    private final Set<Route> routes;

    DecisionKind(boolean needsReason, Set<Route> routes) {
        this.needsReason = needsReason;
        this.routes = routes;
    }

    /** True for the kinds that carry a reason: every kind but {@link #MAIL} and {@link #HOLDOUT}. */
    public boolean needsReason() {
        return needsReason;
    }

    /** Where a decision of this kind is written. */
    public Set<Route> routes() {
        return routes;
    }

    /** True when a mail is to be delivered. */
    public boolean mails() {
        return this == MAIL || this == FALLBACK;
    }

    /** The kind as written in JSON: {@code mail}, {@code held}, ... */
    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a code as written in JSON. */
    @JsonCreator
    public static DecisionKind ofCode(String code) {
        for (DecisionKind k : values()) {
            if (k.code().equals(code)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown decision kind '" + code + "'");
    }
}
