package dev.nudge.engine;

import org.drools.base.rule.TypeDeclaration;
import org.drools.core.impl.InternalRuleBase;
import org.kie.api.KieBase;
import org.kie.api.builder.ReleaseId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled, runnable set of rules, with the version stamped on every decision it makes and the text of each file as
 * it was compiled ({@code sources}, file name to DRL).
 */
public record RuleSet(KieBase kieBase, String contentHash, Instant loadedAt, List<String> files, ReleaseId release,
                      Map<String, String> sources) {

    /** The same rules in another KIE base built from the same release: one per engine thread, each updated alone. */
    public RuleSet withKieBase(KieBase other) {
        return new RuleSet(other, contentHash, loadedAt, files, release, sources);
    }

    /** Content hash plus load time: two loads of the same files share the hash, not the time. */
    public String version() {
        return contentHash + "@" + loadedAt;
    }

    /**
     * How long the rules keep a fact of {@code type}: its {@code @expires}, if they declare one. The engine keeps
     * what it remembers beside the session (such as cart contents) exactly as long, read from the rules so that an
     * analyst who changes the retention changes both.
     */
    public Optional<Duration> expiry(Class<?> type) {
        // the public KIE API does not expose declarations of existing Java classes; the internal one does
        if (kieBase instanceof InternalRuleBase rules) {
            TypeDeclaration declared = rules.getTypeDeclaration(type);
            if (declared != null && declared.getExpirationOffset() > 0) {
                return Optional.of(Duration.ofMillis(declared.getExpirationOffset()));
            }
        }
        return Optional.empty();
    }
}
