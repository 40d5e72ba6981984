package dev.nudge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.Settings;
import dev.nudge.config.Topics;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy files (container image, compose, Kubernetes, Strimzi topics) held to what Nudge is, since no container
 * engine or cluster runs here: every file parses, every setting it names exists, every path it probes is served,
 * every file it mounts or copies is in the repository, and the topics are declared as Nudge would create them.
 */
class DeployFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COMPOSE = Paths.DEPLOY.resolve("compose");
    private static final Path KUBERNETES = Paths.DEPLOY.resolve("kubernetes");
    private static final NudgeConfig DEFAULTS = NudgeConfig.from(Settings.of(Map.of()));
    private static final Set<String> KINDS = Set.of("ConfigMap", "Secret", "Deployment", "Service",
            "PodDisruptionBudget", "ScaledObject", "KafkaTopic", "Kustomization");

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Paths.DEPLOY)) {
            files = s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList();
        }
        assertTrue(files.size() >= 10, "the compose and Kubernetes files: " + files);
        for (Path f : files) {
            assertFalse(documents(f).isEmpty(), f + " holds a document");
        }
    }

    @Test
    void everyKubernetesObjectIsNamedAndOfAKnownKind() throws IOException {
        for (Path f : kubernetesFiles()) {
            for (JsonNode d : documents(f)) {
                assertTrue(KINDS.contains(d.path("kind").asText()), f + ": kind " + d.path("kind"));
                assertFalse(d.path("apiVersion").asText().isBlank(), f + ": apiVersion");
                if (!d.path("kind").asText().equals("Kustomization")) {
                    assertFalse(d.at("/metadata/name").asText().isBlank(), f + ": metadata.name");
                }
            }
        }
        JsonNode kustomization = documents(KUBERNETES.resolve("kustomization.yaml")).get(0);
        kustomization.get("resources").forEach(r -> assertTrue(Files.exists(KUBERNETES.resolve(r.asText())),
                "kustomization names " + r));
    }

    @Test
    void everySettingTheFilesNameExists() throws IOException {
        Pattern known = knownSettings();
        Map<String, String> named = new TreeMap<>();
        JsonNode compose = documents(COMPOSE.resolve("compose.yaml")).get(0);
        compose.get("services").fields().forEachRemaining(s -> s.getValue().path("environment").fieldNames()
                .forEachRemaining(n -> named.put(n, "compose " + s.getKey())));
        for (String f : List.of("settings.yaml", "secret.example.yaml")) {
            JsonNode d = documents(KUBERNETES.resolve(f)).get(0);
            JsonNode data = d.has("data") ? d.get("data") : d.get("stringData");
            data.fieldNames().forEachRemaining(n -> named.put(n, f));
        }
        container().path("env").forEach(e -> named.put(e.get("name").asText(), "deployment.yaml"));
        Set<String> unknown = new TreeSet<>();
        named.forEach((name, where) -> {
            if (name.startsWith("NUDGE_") && !known.matcher(name).matches()) {
                unknown.add(name + " (" + where + ")");
            }
        });
        assertTrue(unknown.isEmpty(), "not a setting of docs/configuration.md: " + unknown);
        assertTrue(named.containsKey("NUDGE_KAFKA_BOOTSTRAP_SERVERS"), "the files name Kafka: " + named.keySet());
    }

    @Test
    void theDeploymentProbesPathsTheServiceAnswersOnItsPortAndMountsWhatConfigmapsMakes() throws IOException {
        JsonNode c = container();
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(Paths.DEPLOY.resolve("nudge.properties"))) {
            shipped.load(in);
        }
        assertEquals(shipped.getProperty("http.port"), c.at("/ports/0/containerPort").asText());
        Set<String> served = new HashSet<>();
        try (InputStream in = DeployFilesTest.class.getResourceAsStream("/openapi.json")) {
            new ObjectMapper().readTree(in).get("paths").fieldNames().forEachRemaining(served::add);
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = c.at("/" + probe + "/httpGet/path").asText();
            assertTrue(served.contains(path), probe + " asks " + path + ", which the service does not serve");
        }
        assertTrue(served.contains(documents(COMPOSE.resolve("prometheus.yml")).get(0)
                .at("/scrape_configs/0/metrics_path").asText()), "Prometheus scrapes a path the service serves");

        JsonNode spec = documents(KUBERNETES.resolve("deployment.yaml")).get(0).at("/spec/template/spec");
        Map<String, String> configMaps = new HashMap<>();
        spec.get("volumes").forEach(v -> configMaps.put(v.get("name").asText(), v.at("/configMap/name").asText()));
        Map<String, String> mounts = new HashMap<>();
        c.get("volumeMounts").forEach(m -> {
            assertTrue(configMaps.containsKey(m.get("name").asText()), "a volume for " + m);
            mounts.put(m.get("mountPath").asText(), configMaps.get(m.get("name").asText()));
        });
        assertEquals("nudge-rules", mounts.get("/opt/nudge/rules"));
        List<String> campaigns = new ArrayList<>();
        try (Stream<Path> s = Files.list(Paths.TEMPLATES)) {
            s.filter(Files::isDirectory).forEach(d -> campaigns.add(d.getFileName().toString()));
        }
        for (String campaign : campaigns) {
            assertEquals("nudge-templates-" + campaign, mounts.get("/opt/nudge/templates/" + campaign),
                    "configmaps.sh makes a ConfigMap of deploy/templates/" + campaign + "; the pods must mount it");
        }
        assertEquals(campaigns.size() + 1, configMaps.values().stream().filter(n -> !n.isEmpty()).count(),
                "no ConfigMap mounted that configmaps.sh does not make");
    }

    @Test
    void theTopicsAreDeclaredAsNudgeWouldCreateThem() throws IOException {
        Topics topics = DEFAULTS.kafka().topics();
        Map<String, JsonNode> declared = new TreeMap<>();
        documents(KUBERNETES.resolve("kafka-topics.yaml")).forEach(d -> declared.put(d.at("/metadata/name").asText(),
                d.get("spec")));
        assertEquals(new TreeSet<>(topics.all()), declared.keySet());
        Set<Integer> partitions = new HashSet<>();
        declared.forEach((name, spec) -> {
            Map<String, String> config = new TreeMap<>();
            spec.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertEquals(new TreeMap<>(topics.configs(name)), config, name + ": retention and compaction");
            partitions.add(spec.get("partitions").asInt());
        });
        assertEquals(1, partitions.size(), "events and decisions are keyed alike: one partition count for all");
        JsonNode settings = documents(KUBERNETES.resolve("settings.yaml")).get(0).get("data");
        assertEquals(partitions.iterator().next().toString(), settings.get("NUDGE_KAFKA_TOPIC_PARTITIONS").asText());

        JsonNode trigger = documents(KUBERNETES.resolve("scaledobject.yaml")).get(0).at("/spec/triggers/0/metadata");
        assertEquals(DEFAULTS.kafka().consumerGroup(), trigger.get("consumerGroup").asText());
        assertEquals(topics.events(), trigger.get("topic").asText());
        assertTrue(documents(KUBERNETES.resolve("scaledobject.yaml")).get(0).at("/spec/maxReplicaCount").asInt()
                <= partitions.iterator().next(), "more pods than partitions would idle");
    }

    @Test
    void theImageAndComposeFilesNameOnlyWhatTheRepositoryHas() throws Exception {
        String dockerfile = Files.readString(Paths.DEPLOY.resolve("container/Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+)").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            String source = copy.group(1);
            assertTrue(source.equals(".") || Files.exists(Paths.HOME.resolve(source)), "COPY " + source);
        }
        assertTrue(copies >= 4, dockerfile);
        Matcher main = Pattern.compile("\"(dev\\.nudge\\.[A-Za-z.]+)\"").matcher(dockerfile);
        assertTrue(main.find(), "an entry point class");
        Class.forName(main.group(1));
        assertTrue(dockerfile.contains("USER 10001"), "not root");

        JsonNode services = documents(COMPOSE.resolve("compose.yaml")).get(0).get("services");
        assertEquals(Set.of("kafka", "nudge-1", "nudge-2", "nudge-3", "mailpit", "prometheus", "grafana"),
                iterate(services.fieldNames()));
        services.fields().forEachRemaining(s -> s.getValue().path("volumes").forEach(v -> {
            String host = v.asText().split(":")[0];
            if (host.startsWith(".")) {
                assertTrue(Files.exists(COMPOSE.resolve(host).normalize()), s.getKey() + " mounts " + host);
            }
        }));
        JsonNode build = services.at("/nudge-1/build");
        assertTrue(Files.exists(COMPOSE.resolve(build.get("context").asText()).resolve(build.get("dockerfile")
                .asText()).normalize()), "the compose file builds the Dockerfile");
        Set<String> ids = new HashSet<>();
        for (String n : List.of("nudge-1", "nudge-2", "nudge-3")) {
            ids.add(services.at("/" + n + "/environment/NUDGE_KAFKA_CONSUMER_INSTANCE_ID").asText());
        }
        assertEquals(3, ids.size(), "each instance a static member of its own");
    }

    private static JsonNode container() throws IOException {
        return documents(KUBERNETES.resolve("deployment.yaml")).get(0).at("/spec/template/spec/containers/0");
    }

    private static List<Path> kubernetesFiles() throws IOException {
        try (Stream<Path> s = Files.list(KUBERNETES)) {
            return s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Every document of a YAML file, anchors and merge keys ({@code <<: *nudge}) resolved as compose resolves them. */
    private static List<JsonNode> documents(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(Files.readString(f))) {
            if (doc != null) {
                out.add(JSON.valueToTree(doc));
            }
        }
        return out;
    }

    private static Set<String> iterate(java.util.Iterator<String> it) {
        Set<String> out = new HashSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    /**
     * The environment variables of every setting in docs/configuration.md's table: {@code NUDGE_} and the key in
     * upper case, dots and dashes as underscores; {@code <name>} parts match any name.
     */
    private static Pattern knownSettings() throws IOException {
        List<String> keys = new ArrayList<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String line : Files.readAllLines(Paths.HOME.resolve("docs/configuration.md"))) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String first = line.substring(1, line.indexOf('|', 1));
            Matcher m = code.matcher(first);
            String base = null;
            while (m.find()) {
                String k = m.group(1);
                if (k.startsWith(".") && base != null) {
                    keys.add(base + k);
                } else {
                    keys.add(k);
                    base = k;
                }
            }
        }
        String alternatives = keys.stream().map(k -> {
            String env = "NUDGE_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            return Pattern.quote(env).replaceAll("<[A-Z_]+>", "\\\\E[A-Z0-9_]+\\\\Q");
        }).collect(Collectors.joining("|"));
        return Pattern.compile(alternatives);
    }
}
