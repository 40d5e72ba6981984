package dev.nudge.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which customers are kept out of a campaign to measure its lift: a stable share per campaign, chosen by a hash of
 * campaign and customer id, so a customer stays in or out across restarts, replays and instances. And, for a campaign
 * that runs an experiment between variants of its trigger (a cart mail after 30 minutes or after 2 hours), which
 * variant a customer gets, by the same kind of hash: equal shares, stable, independent of the holdout.
 */
public final class Holdouts {

    /** No holdout at all. */
    public static final Holdouts NONE = new Holdouts(0, Map.of());

    private static final int BASIS_POINTS = 10_000;

    private final double defaultPercent;
    private final Map<String, Double> percentByCampaign;
    private final Map<String, List<String>> variantsByCampaign;

    /** {@code percentByCampaign} overrides {@code defaultPercent} for the campaigns it names. */
    public Holdouts(double defaultPercent, Map<String, Double> percentByCampaign) {
        this(defaultPercent, percentByCampaign, Map.of());
    }

    /** {@code variantsByCampaign}: the variants of the campaigns that run an experiment, each getting an equal share. */
    public Holdouts(double defaultPercent, Map<String, Double> percentByCampaign,
                    Map<String, List<String>> variantsByCampaign) {
        check(defaultPercent);
        percentByCampaign.values().forEach(Holdouts::check);
        variantsByCampaign.forEach((campaign, variants) -> {
            if (variants.size() < 2 || Set.copyOf(variants).size() != variants.size()) {
                throw new IllegalArgumentException("campaign " + campaign + ": an experiment needs two or more "
                        + "different variants, got " + variants);
            }
        });
        this.defaultPercent = defaultPercent;
        this.percentByCampaign = Map.copyOf(percentByCampaign);
        this.variantsByCampaign = Map.copyOf(variantsByCampaign);
    }

    /**
     * The variant of the campaign's experiment the customer gets, or null when the campaign runs none. A trigger rule
     * that declares {@code @variant} proposes mails only for the customers of its variant.
     */
    public String variant(String campaign, String customerId) {
        List<String> variants = variantsByCampaign.get(campaign);
        if (variants == null) {
            return null;
        }
        // a hash of its own: which variant a customer gets says nothing about whether they are held out
        return variants.get(bucket(campaign + "\u0000variant", customerId) % variants.size());
    }

    /** The variants of the campaign's experiment in their configured order (the first is the baseline), or none. */
    public List<String> variants(String campaign) {
        return variantsByCampaign.getOrDefault(campaign, List.of());
    }

    private static void check(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a holdout is a percentage from 0 to 100, got " + percent);
        }
    }

    /** The share of the campaign's customers held out, in percent: what a campaign report expects its arms to show. */
    public double percent(String campaign) {
        return percentByCampaign.getOrDefault(campaign, defaultPercent);
    }

    public boolean heldOut(String campaign, String customerId) {
        double percent = percent(campaign);
        if (percent <= 0) {
            return false;
        }
        // per campaign: being held out of one campaign says nothing about the others
        return bucket(campaign, customerId) < Math.round(percent * BASIS_POINTS / 100);
    }

    /** A uniform bucket in [0, 10000) from SHA-256, the same on every JVM and in every language. */
    static int bucket(String campaign, String customerId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((campaign + '\u0000' + customerId).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
            return (int) (v % BASIS_POINTS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
