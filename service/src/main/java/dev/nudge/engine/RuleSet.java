package dev.nudge.engine;

import org.kie.api.KieBase;

import java.time.Instant;
import java.util.List;

/** A compiled, runnable set of rules, with the version stamped on every decision it makes. */
public record RuleSet(KieBase kieBase, String contentHash, Instant loadedAt, List<String> files) {

    /** Content hash plus load time: two loads of the same files share the hash, not the time. */
    public String version() {
        return contentHash + "@" + loadedAt;
    }
}
