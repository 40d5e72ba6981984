package dev.nudge.engine;

import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Compiles the {@code .drl} files of a folder into a STREAM-mode {@link RuleSet}, or says exactly what is wrong. */
public final class RuleCompiler {

    /**
     * Either the rules, or the errors that stopped them; never a half-built rule set. The warnings do not stop the
     * rules: they say where a rule will act otherwise than it reads (a window longer than its facts are kept).
     */
    public record Result(RuleSet rules, List<RuleError> errors, List<RuleError> warnings) {
        public Result(RuleSet rules, List<RuleError> errors) {
            this(rules, errors, List.of());
        }

        public boolean ok() {
            return rules != null;
        }
    }

    private final Clock clock;
    private final Duration replayHorizon;

    public RuleCompiler(Clock clock) {
        this(clock, null);
    }

    /** A compiler that also warns of windows longer than {@code replayHorizon} (engine.replay-horizon; null: none). */
    public RuleCompiler(Clock clock, Duration replayHorizon) {
        this.clock = clock;
        this.replayHorizon = replayHorizon;
    }

    public Result compile(Path dir) throws IOException {
        return compile(dir, null);
    }

    /**
     * The folder's rules with {@code extra} (a file from elsewhere, e.g. {@code examples/}) among them under its own
     * name, as if copied into the folder; null for none.
     */
    public Result compile(Path dir, Path extra) throws IOException {
        List<Path> files;
        // the folder's own files only: a subfolder (examples/) holds rules that are not to run
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".drl"))
                    .filter(p -> extra == null || !p.getFileName().equals(extra.getFileName())).sorted().toList());
        }
        if (extra != null) {
            files.add(extra);
        }
        if (files.isEmpty()) {
            return new Result(null, List.of(new RuleError(dir.toString(), 0, 0, "no .drl files in this folder")));
        }
        MessageDigest digest = sha256();
        KieServices ks = KieServices.Factory.get();
        List<String> names = new ArrayList<>();
        java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            byte[] content = Files.readAllBytes(file);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(content);
            names.add(name);
            sources.put(name, new String(content, StandardCharsets.UTF_8));
        }
        String hash = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        ReleaseId release = ks.newReleaseId("dev.nudge", "rules", "1.0.0-" + hash);
        KieBuilder builder = buildModule(release, sources);
        List<RuleError> errors = builder.getResults().getMessages(Message.Level.ERROR).stream()
                .map(m -> RuleError.of(stripPrefix(m.getPath()), m.getLine(), m.getColumn(), m.getText().strip()))
                .toList();
        if (!errors.isEmpty()) {
            return new Result(null, CompileErrors.translate(withoutEcho(errors), sources));
        }
        var kieBase = ks.newKieContainer(release).getKieBase();
        // a misspelt @quietHours or @reEligibility must stop the load, not fail the first mail hours later
        List<RuleError> attributeErrors = RuleAttributes.check(kieBase, sources);
        if (!attributeErrors.isEmpty()) {
            return new Result(null, attributeErrors);
        }
        return new Result(new RuleSet(kieBase, hash, clock.instant(), names, release,
                java.util.Collections.unmodifiableMap(sources)), List.of(), warnings(sources));
    }

    /**
     * Builds DRL files (name to text) into a KIE module of one default STREAM-mode KieBase under {@code release}, the
     * module a KieContainer can update to in place; the builder's messages say whether it compiled.
     */
    public static KieBuilder buildModule(ReleaseId release, java.util.Map<String, String> files) {
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        files.forEach((name, text) -> kfs.write("src/main/resources/rules/" + name, text));
        kfs.generateAndWritePomXML(release);
        KieModuleModel module = ks.newKieModuleModel();
        module.newKieBaseModel("nudge").setDefault(true).setEventProcessingMode(EventProcessingOption.STREAM)
                .addPackage("*");
        kfs.writeKModuleXML(module.toXML());
        return ks.newKieBuilder(kfs).buildAll();
    }

    /** The retention warnings; a rule text the check cannot read costs its warnings, never the rules. */
    private List<RuleError> warnings(java.util.Map<String, String> sources) {
        try {
            return RetentionCheck.check(sources, replayHorizon);
        } catch (RuntimeException e) {
            return List.of(new RuleError("?", 0, 0, "the windows could not be checked against @expires: " + e));
        }
    }

    /**
     * Drools follows every syntax error with "Parser returned a null Package" at line 0, which locates nothing and
     * says nothing new; the analyst sees it only when it is the sole error.
     */
    private static List<RuleError> withoutEcho(List<RuleError> errors) {
        List<RuleError> located = errors.stream().filter(e -> !e.message().equals("Parser returned a null Package"))
                .toList();
        return located.isEmpty() ? errors : located;
    }

    /** Drools reports the path relative to the resources root ({@code rules/x.drl}), not to the module. */
    static String stripPrefix(String path) {
        return path == null ? "?" : path.replaceFirst("^(src/main/resources/)?rules/", "");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
