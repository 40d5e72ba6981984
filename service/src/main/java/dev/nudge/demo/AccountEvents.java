package dev.nudge.demo;

import dev.nudge.event.CustomerEvent;
import dev.nudge.event.CustomerProfile;
import dev.nudge.event.EmailBounced;
import dev.nudge.event.EmailSent;
import dev.nudge.event.SpamComplaint;
import dev.nudge.event.Subscribed;
import dev.nudge.event.Unsubscribed;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Adds to a visit what the shop and the mail provider say about the customer besides shopping: a profile (one in
 * twenty VIP) on the first visit of a customer the shop knows and now and then an update, and rarely an unsubscribe,
 * an opt-in, a bounce, a spam complaint or another sender's mail. Bounded per customer, as the rules keep one
 * profile and one consent signal each, and mails sent expire.
 */
final class AccountEvents {

    /** Customers the shop knows (they signed up): only they have a profile. */
    static final double KNOWN = 0.4;
    /** Later visits of a known customer that update the profile. */
    static final double PROFILE_UPDATE = 0.01;
    /** Visits that follow another sender's newsletter, which the frequency cap counts. */
    static final double OTHER_SENDERS_MAIL = 0.02;
    // at most one consent signal per visit, at its end: these are shares of visits
    static final double UNSUBSCRIBE = 0.004;
    static final double SUBSCRIBE = 0.0015;
    static final double BOUNCE = 0.003;
    static final double SPAM = 0.0005;
    /** Events an average visit gets besides a customer's first profile: what sizing the stream needs. */
    static final double PER_VISIT = KNOWN * PROFILE_UPDATE + OTHER_SENDERS_MAIL + UNSUBSCRIBE + SUBSCRIBE + BOUNCE
            + SPAM;

    // of known customers; the rest of the zones are left out, so decisions.time-zone applies to them
    private static final double OTHER_ZONE = 0.10;
    private static final double NO_CONSENT = 0.05;
    private static final double CONSENT_UNKNOWN = 0.10;
    private static final String[] ZONES = {"Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo"};
    private static final String[] NAMES = {"Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo"};
    private static final String[] LOCALES = {"en-GB", "de-DE", "fr-FR", "nl-NL", "en-US"};
    private static final String[] CAMPAIGNS = {"cart-abandonment", "browse-abandonment", "pricing-page-interest", null};
    private static final double VIP = 0.05;
    // shared: a profile copies its attributes, and Map.copyOf of an immutable map is the map itself
    private static final Map<String, Object> VIP_TIER = Map.of("tier", "vip");
    private static final Map<String, Object> REGULAR_TIER = Map.of("tier", "regular");

    private final SplittableRandom rng;
    private final long seed;
    private final BitSet seen;

    AccountEvents(SplittableRandom rng, long seed, int customers) {
        this.rng = rng;
        this.seed = seed;
        this.seen = new BitSet(customers);
    }

    /** Customers with a first profile among {@code visits} visits of uniformly drawn customers, on average. */
    static double expectedFirstProfiles(int customers, double visits) {
        return KNOWN * customers * -Math.expm1(-visits / customers);
    }

    /** Adds this visit's account events to its planned events, keeping them in event-time order. */
    void addTo(List<CustomerEvent> visit, int customer, String customerId) {
        long start = visit.get(0).getEventTime();
        long end = visit.get(visit.size() - 1).getEventTime();
        boolean first = !seen.get(customer);
        seen.set(customer);
        int front = 0;
        boolean update = rng.nextDouble() < PROFILE_UPDATE;
        if ((first || update) && traits(customer).nextDouble() < KNOWN) {
            visit.add(front++, profile(customer, customerId, start));
        }
        if (rng.nextDouble() < OTHER_SENDERS_MAIL) {
            visit.add(front, new EmailSent(SessionPlanner.uuid(rng), customerId, Instant.ofEpochMilli(start), null,
                    "newsletter"));
        }
        double u = rng.nextDouble();
        Instant after = Instant.ofEpochMilli(end + 1_000 + rng.nextLong(300_000));
        String campaign = CAMPAIGNS[rng.nextInt(CAMPAIGNS.length)];
        if (u < UNSUBSCRIBE) {
            visit.add(new Unsubscribed(SessionPlanner.uuid(rng), customerId, after, campaign));
        } else if ((u -= UNSUBSCRIBE) < SUBSCRIBE) {
            visit.add(new Subscribed(SessionPlanner.uuid(rng), customerId, after));
        } else if ((u -= SUBSCRIBE) < BOUNCE) {
            boolean hard = rng.nextInt(3) == 0;
            visit.add(new EmailBounced(SessionPlanner.uuid(rng), customerId, after, hard,
                    hard ? "550 5.1.1 user unknown" : "452 4.2.2 mailbox full", campaign));
        } else if ((u -= BOUNCE) < SPAM) {
            visit.add(new SpamComplaint(SessionPlanner.uuid(rng), customerId, after, campaign));
        }
    }

    /** Who the customer is does not change between their profiles: it comes from their number, not the stream. */
    private SplittableRandom traits(int customer) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ customer * 0xC2B2AE3D27D4EB4FL);
    }

    private CustomerProfile profile(int customer, String customerId, long time) {
        SplittableRandom t = traits(customer);
        t.nextDouble(); // the draw that made them known
        String zone = t.nextDouble() < OTHER_ZONE ? ZONES[t.nextInt(ZONES.length)] : null;
        double c = t.nextDouble();
        Boolean consent = c < NO_CONSENT ? Boolean.FALSE : c < NO_CONSENT + CONSENT_UNKNOWN ? null : Boolean.TRUE;
        Map<String, Object> tier = t.nextDouble() < VIP ? VIP_TIER : REGULAR_TIER;
        return new CustomerProfile(SessionPlanner.uuid(rng), customerId, Instant.ofEpochMilli(time),
                customerId + "@mail.example", NAMES[t.nextInt(NAMES.length)], LOCALES[t.nextInt(LOCALES.length)], zone,
                consent, tier);
    }
}
