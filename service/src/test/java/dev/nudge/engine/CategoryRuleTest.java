package dev.nudge.engine;

import dev.nudge.decision.Decision;
import dev.nudge.event.ProductViewed;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A rule can match on a product's category, and the mail it decides carries the category to the templates. */
class CategoryRuleTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void browseAbandonmentNarrowedToOneCategoryMailsOnlyProductsOfIt(@TempDir Path dir) throws Exception {
        try (var files = Files.list(Paths.RULES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path browse = dir.resolve("browse-abandonment.drl");
        String narrowed = Files.readString(browse).replace("$view : ProductViewed( $customer : customerId,",
                "$view : ProductViewed( category == \"running\", $customer : customerId,");
        Files.writeString(browse, narrowed);
        RuleSet rules = new RuleCompiler(Clock.systemUTC()).compile(dir).rules();

        List<Decision> decided = new ArrayList<>();
        try (PartitionEngine e = new PartitionEngine(rules, Duration.ofMinutes(1), Duration.ofHours(24))) {
            // three views each within the hour: a running shoe by ana, a kitchen knife by bob, then nothing
            for (int i = 0; i < 3; i++) {
                decided.addAll(e.accept(view("a" + i, "ana", "shoe-42", "running", i * 10)).decisions());
                decided.addAll(e.accept(view("b" + i, "bob", "knife-1", "kitchen", i * 10 + 1)).decisions());
            }
            decided.addAll(e.advanceEventTime(T0.plus(Duration.ofHours(3)).toEpochMilli()));
        }

        List<Decision> browse3 = decided.stream().filter(d -> d.campaign().equals("browse-abandonment")).toList();
        assertEquals(List.of("ana"), browse3.stream().map(Decision::customerId).distinct().toList(), decided.toString());
        assertEquals("running", ((Map<?, ?>) browse3.get(0).payload().get("product")).get("category"));
    }

    private static ProductViewed view(String id, String customer, String product, String category, int minute) {
        return new ProductViewed(id, customer, T0.plusSeconds(minute * 60L), product, "Product " + product,
                new BigDecimal("10.00"), null, null, null, category);
    }
}
