package dev.nudge.engine;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The known name closest to a misspelt one, for "did you mean" in errors analysts read. */
public final class Nearest {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Nearest() {
    }

    /**
     * The known name nearest to {@code given}, ignoring case, when it is close enough to be a slip (at most a third of
     * its letters differ) or a shortening (a known name starts with it); empty when nothing is close.
     */
    public static Optional<String> to(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        if (g.length() >= 3) {
            Optional<String> longer = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).startsWith(g)).findFirst();
            if (longer.isPresent()) {
                return longer;
            }
        }
        return known.stream()
                .min(Comparator.comparingInt(k -> DISTANCE.apply(g, k.toLowerCase(Locale.ROOT))))
                .filter(k -> DISTANCE.apply(g, k.toLowerCase(Locale.ROOT)) <= Math.max(2, given.length() / 3));
    }

    /** {@code "; did you mean X?"}, or nothing. */
    public static String hint(String given, Collection<String> known, String prefix) {
        return to(given, known).map(k -> "; did you mean " + prefix + k + "?").orElse("");
    }
}
