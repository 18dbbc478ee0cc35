package io.aetherflow.steps.process;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Engine stand-in for the process step tests: real directories under a temp root, a sandbox that
 * keeps paths under that root, an env snapshot map, known secrets for masking, and thread-safe
 * collections of the events and log lines the step emits (reader threads emit events too).
 */
final class TestContext implements StepContext {

    /** One emitted event. */
    record Event(String level, String name, Map<String, Object> fields) {
    }

    final Path root;
    final Path artifacts;
    final Map<String, Object> inputs;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String> secrets = new ArrayList<>();
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> logs = Collections.synchronizedList(new ArrayList<>());

    TestContext(Path root, Map<String, Object> inputs) {
        this.root = root.toAbsolutePath().normalize();
        this.artifacts = this.root.resolve("artifacts");
        this.inputs = inputs;
        try {
            Files.createDirectories(artifacts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the events with this name, in emission order */
    List<Event> events(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }
    }

    /** @return the event names, in emission order */
    List<String> eventNames() {
        synchronized (events) {
            return events.stream().map(Event::name).toList();
        }
    }

    @Override public String flowId() { return "flow-1"; }
    @Override public String runId() { return "run-1"; }
    @Override public String jobId() { return "job-1"; }
    @Override public String stepId() { return "step-1"; }
    @Override public String stepType() { return ExternalProcessStep.TYPE; }
    @Override public StepInputs inputs() { return new MapInputs("", inputs); }
    @Override public Map<String, String> env() { return Collections.unmodifiableMap(env); }
    @Override public boolean enterpriseMode() { return false; }
    @Override public Path jobDir() { return root; }
    @Override public Path artifactsDir() { return artifacts; }
    @Override public Path scratchDir() { return root.resolve("scratch"); }
    @Override public Path manifestsDir() { return root.resolve("manifests"); }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        Path abs = (p.isAbsolute() ? p : artifacts.resolve(p)).normalize();
        if (!abs.startsWith(root)) {
            throw new StepFailedException("path escapes the sandbox: " + path);
        }
        return abs;
    }

    @Override
    public <T extends Connector> T connector(String resourceName, Class<T> type) {
        throw new StepFailedException("no connectors in this fixture: " + resourceName);
    }

    @Override
    public boolean hasResource(String resourceName) {
        return false;
    }

    @Override
    public <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers) {
        throw new StepFailedException("no connectors in this fixture: " + kind);
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        throw new StepFailedException("no locks in this fixture");
    }

    @Override
    public StepResult runStep(String type, String stepId, Map<String, Object> in) {
        throw new StepFailedException("no nested steps in this fixture");
    }

    @Override
    public void event(String level, String event, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>();
        fields.forEach((k, v) -> f.put(k, v instanceof String s ? mask(s) : v));
        events.add(new Event(level, event, f));
    }

    @Override
    public void log(String level, String message) {
        logs.add(level + " " + mask(message));
    }

    @Override
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    /** Strict inputs over a map, with the engine's documented semantics (tested in core-runtime). */
    static final class MapInputs implements StepInputs {
        private final String prefix;
        private final Map<String, Object> m;

        MapInputs(String prefix, Map<String, Object> m) {
            this.prefix = prefix;
            this.m = m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }

        private StepInputException wrong(String name, String expected, Object v) {
            return new StepInputException("input '" + prefix + name + "' must be " + expected + ", got " + v);
        }

        @Override public Map<String, Object> asMap() { return m; }
        @Override public boolean has(String name) { return m.containsKey(name); }
        @Override public Object raw(String name) { return m.get(name); }

        @Override
        public void require(String... names) {
            for (String n : names) {
                if (!m.containsKey(n)) {
                    throw new StepInputException("missing required input(s) [" + prefix + n + "]");
                }
            }
        }

        @Override
        public String string(String name) {
            String s = optString(name, null);
            if (s == null) {
                throw new StepInputException("missing required input '" + prefix + name + "'");
            }
            return s;
        }

        @Override
        public String optString(String name, String d) {
            Object v = m.get(name);
            if (v == null) {
                return d;
            }
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                return v.toString();
            }
            throw wrong(name, "a string", v);
        }

        @Override
        public boolean bool(String name, boolean d) {
            Object v = m.get(name);
            if (v == null) {
                return d;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "1": return true;
                case "false": case "no": case "0": return false;
                default: throw wrong(name, "a boolean (true/false/yes/no/1/0)", v);
            }
        }

        @Override
        public long integer(String name, long d) {
            Object v = m.get(name);
            if (v == null) {
                return d;
            }
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).longValue();
            }
            try {
                return Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw wrong(name, "an integer", v);
            }
        }

        @Override
        public double number(String name, double d) {
            Object v = m.get(name);
            if (v == null) {
                return d;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw wrong(name, "a number", v);
            }
        }

        @Override
        public List<Object> list(String name) {
            Object v = m.get(name);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> l) {
                return Collections.unmodifiableList(new ArrayList<Object>(l));
            }
            return List.of(v);
        }

        @Override
        public StepInputs section(String name) {
            Object v = m.get(name);
            if (v == null) {
                return new MapInputs(prefix + name + ".", Map.of());
            }
            if (!(v instanceof Map<?, ?> map)) {
                throw wrong(name, "a mapping", v);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, val) -> copy.put(String.valueOf(k), val));
            return new MapInputs(prefix + name + ".", copy);
        }
    }
}
