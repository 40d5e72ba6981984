package dev.nudge.demo;

import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.Item;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * How simulated shoppers answer a decision, with a true effect known in advance: of the customers a decision is
 * about, {@code baseRate} come back and buy within the window anyway (mailed or held out), and of the others a share
 * {@code effect} of those who were mailed come back because of the mail. So the true lift of the conversion rate is
 * {@code (1 - baseRate) * effect}, which the campaign report must find. Deterministic: the same decision id, seed
 * and settings give the same answer in every run.
 */
public record MailEffect(double baseRate, double effect, Duration within, long seed) {

    public MailEffect {
        if (baseRate < 0 || baseRate > 1 || effect < 0 || effect > 1) {
            throw new IllegalArgumentException("baseRate and effect are shares from 0 to 1");
        }
    }

    /** The lift of the conversion rate, mailed against holdout, that this model causes. */
    public double trueLift() {
        return (1 - baseRate) * effect;
    }

    /**
     * The order the customer of {@code d} places after it, or null: for a mail, a fallback or a holdout (what the
     * report counts), at a time within {@code within} after the decision, for the cart the decision is about.
     */
    public CheckoutCompleted answer(Decision d) {
        boolean mailed = d.kind().mails();
        if (!mailed && d.kind() != DecisionKind.HOLDOUT) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ UUID.nameUUIDFromBytes(
                d.decisionId().getBytes(StandardCharsets.UTF_8)).getMostSignificantBits());
        boolean buys = rng.nextDouble() < baseRate || mailed && rng.nextDouble() < effect;
        if (!buys) {
            return null;
        }
        Instant at = d.decidedAt().plusMillis(1 + rng.nextLong(within.toMillis()));
        Object cart = d.payload() == null ? null : d.payload().get("cartId");
        return new CheckoutCompleted("order-" + d.decisionId(), d.customerId(), at,
                cart == null ? null : cart.toString(), "o-" + d.decisionId(), total(d), "EUR");
    }

    /** What the cart of the mail costs (its lines as the engine gives them, or as read back from JSON); else 10. */
    private static BigDecimal total(Decision d) {
        Object items = d.payload() == null ? null : d.payload().get("items");
        if (!(items instanceof List<?> lines) || lines.isEmpty()) {
            return BigDecimal.TEN;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Object line : lines) {
            if (line instanceof Item i && i.price() != null) {
                total = total.add(i.price().multiply(BigDecimal.valueOf(i.quantity())));
            } else if (line instanceof Map<?, ?> m && m.get("price") != null) {
                Object q = m.get("quantity");
                total = total.add(new BigDecimal(m.get("price").toString())
                        .multiply(new BigDecimal(q == null ? "1" : q.toString())));
            }
        }
        return total;
    }
}
