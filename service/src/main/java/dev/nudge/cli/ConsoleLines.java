package dev.nudge.cli;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.send.LedgerEntry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console line of each record {@code nudge run} shows, saying what really happened: a hold that ends prints as
 * released, a copy of a decision the send stage settled already (before a restart, or redelivered) as a duplicate, a
 * revocation of a mail that went out as too late to void. It reads the send stage's ledger for that, the entries from
 * before this run ({@link #remember}) and those written since ({@link #ledger}); null means no line.
 */
final class ConsoleLines {

    /** Ids remembered at most: a day of a busy shop's decisions, a few tens of MB. */
    static final int REMEMBERED = 200_000;
    /** The ledger id of a revocation forwarded to a webhook: the decision's id with this suffix. */
    private static final String REVOKED = ":revoked";

    /** What the ledger says of a decision, and whether it said so before this run. */
    private record Settled(LedgerEntry entry, boolean beforeThisRun) {
    }

    private final Map<String, Settled> settled = bounded();
    private final Map<String, Integer> shown = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, DecisionKind> printed = bounded();

    /** A ledger entry written before this run: remembered, not printed. */
    void remember(LedgerEntry e) {
        if (e.settled()) {
            settled.put(e.decisionId(), new Settled(e, true));
        }
    }

    /** The line of a record of the decisions ({@code audit} false) or the audit topic. */
    String decision(Decision d, boolean audit) {
        // a holdout and a fallback are on both topics: printed once, from the decisions topic
        if (audit && d.kind().routes().contains(DecisionKind.Route.DECISIONS)) {
            return null;
        }
        Settled known = settled.get(d.decisionId());
        if (d.kind() == DecisionKind.VOIDED) {
            return voided(d, known);
        }
        if (known != null) {
            return line("DUPLICATE", d, "a copy: " + done(known) + "; nothing more is done with it");
        }
        DecisionKind before = printed.get(d.decisionId());
        if (before != null && before != DecisionKind.HELD && (d.kind().mails() || d.kind() == DecisionKind.HOLDOUT)) {
            return line("DUPLICATE", d, "a copy of a decision shown above (" + before.code()
                    + "): the send stage handles it once");
        }
        printed.put(d.decisionId(), d.kind());
        // a record after a hold names it in releasedFrom; one that ends a hold early (the cart changed) may not, but
        // this console showed the hold
        boolean wasHeld = d.releasedFrom() != null || before == DecisionKind.HELD && d.kind() != DecisionKind.HELD;
        String hold = d.releasedFrom() != null ? "held for " + d.releasedFrom() : "held";
        String after = !wasHeld ? "" : d.releasedFrom() != null ? ", after a hold for " + d.releasedFrom()
                : ", ending its hold";
        return switch (d.kind()) {
            case MAIL -> !wasHeld ? line("DECISION", d, null) : line("RELEASED", d, hold + ", now to be mailed");
            case FALLBACK -> !wasHeld ? line("FALLBACK", d, d.reason())
                    : line("RELEASED", d, hold + ", now to be mailed as a fallback: " + d.reason());
            case HOLDOUT -> line("HOLDOUT", d, "in the holdout group: never mailed" + after);
            case HELD -> line("HELD", d, d.reason() + " until " + seconds(d.heldUntil()));
            case SUPPRESSED -> line("SUPPRESSED", d, d.reason() + after);
            case VOIDED -> throw new IllegalStateException("handled above");
        };
    }

    private String voided(Decision d, Settled known) {
        if (known != null && known.entry().state().equals(LedgerEntry.SENT)) {
            return line("TOO LATE", d, d.reason() + ", but the mail went out"
                    + (known.beforeThisRun() ? " before this run" : "") + " at " + seconds(known.entry().at())
                    + ": too late to void");
        }
        if (printed.get(d.decisionId()) == DecisionKind.VOIDED) {
            return line("DUPLICATE", d, "a copy of a revocation shown above");
        }
        printed.put(d.decisionId(), DecisionKind.VOIDED);
        return line("VOIDED", d, d.reason() + (known != null ? "; " + done(known) + " already" : ""));
    }

    /** The line of what the send stage did with a decision, from its ledger; its steps in between are not shown. */
    String ledger(LedgerEntry e) {
        if (e.settled()) {
            settled.put(e.decisionId(), new Settled(e, false));
        }
        boolean revocation = e.decisionId().endsWith(REVOKED);
        String id = revocation ? e.decisionId().substring(0, e.decisionId().length() - REVOKED.length())
                : e.decisionId();
        String why = switch (e.state()) {
            case LedgerEntry.SENT -> revocation ? "the revocation, to the webhook"
                    : printed.get(id) == DecisionKind.VOIDED
                    ? "too late to void: it was on its way when the revocation came; GET /outbox shows it"
                    : "GET /outbox shows it";
            case LedgerEntry.FAILED, LedgerEntry.VOID, LedgerEntry.NO_ADDRESS -> e.detail();
            default -> null;
        };
        if (why == null) {
            return null;
        }
        String what = switch (e.state()) {
            case LedgerEntry.SENT -> revocation ? "FORWARDED" : "MAILED";
            case LedgerEntry.FAILED -> "MAIL FAILED";
            default -> "NOT MAILED";
        };
        shown.merge(what, 1, Integer::sum);
        return String.format("%-10s %-22s %-12s decision %s  (%s)", what, e.campaign(), e.customerId(),
                ShortIds.decision(id), why);
    }

    /** "the send stage mailed it before this run, at ...": what the ledger says became of a decision, and when. */
    private static String done(Settled s) {
        String what = switch (s.entry().state()) {
            case LedgerEntry.SENT -> "mailed it";
            case LedgerEntry.VOID -> "voided it";
            case LedgerEntry.HOLDOUT -> "held it out";
            case LedgerEntry.NO_ADDRESS -> "found no e-mail address for it";
            default -> "gave it up";
        };
        return "the send stage " + what + (s.beforeThisRun() ? " before this run" : "") + ", at "
                + seconds(s.entry().at());
    }

    /** How many lines of each kind ({@code DECISION}, {@code MAILED}, ...) were shown. */
    int shown(String what) {
        return shown.getOrDefault(what, 0);
    }

    private String line(String what, Decision d, String why) {
        shown.merge(what, 1, Integer::sum);
        return String.format("%-10s %-22s %-12s decision %s  at %s  rule %s  events %s%s", what, d.campaign(),
                d.customerId(), ShortIds.decision(d.decisionId()), seconds(d.decidedAt()), d.rule(),
                ShortIds.events(d.eventIds()), why == null ? "" : "  (" + why + ")");
    }

    private static String seconds(Instant t) {
        return t == null ? "?" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}
