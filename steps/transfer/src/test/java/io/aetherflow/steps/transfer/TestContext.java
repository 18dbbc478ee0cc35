package io.aetherflow.steps.transfer;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.sftp.SftpConnectorFactory;
import io.aetherflow.connectors.smb.SmbConnectorFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An engine stand-in for the step's unit tests: inputs over a map, an artifacts directory with a
 * simple sandbox, real SFTP connectors (the sftp:mina bundle's factory) for declared resources,
 * masking of the given secrets, recorded events.
 */
final class TestContext implements StepContext, AutoCloseable {

    final Map<String, Object> inputs;
    final Path artifacts;
    final Map<String, ConnectorConfig> resources = new LinkedHashMap<>();
    final List<String> secrets = new ArrayList<>();
    final List<Map<String, Object>> events = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    String stepId = "step";
    private final Map<String, Connector> open = new LinkedHashMap<>();

    TestContext(Path artifacts, Map<String, Object> inputs) {
        this.artifacts = artifacts;
        this.inputs = inputs;
    }

    TestContext withStepId(String id) {
        this.stepId = id;
        return this;
    }

    TestContext resource(String name, Map<String, Object> config, Map<String, Object> options) {
        resources.put(name, new ConnectorConfig(name, "sftp", "paramiko", config, options));
        return this;
    }

    TestContext smbResource(String name, Map<String, Object> config, Map<String, Object> options) {
        resources.put(name, new ConnectorConfig(name, "smb", "smbclient", config, options));
        return this;
    }

    @Override public String flowId() { return "flow"; }
    @Override public String runId() { return "run1"; }
    @Override public String jobId() { return "job"; }
    @Override public String stepId() { return stepId; }
    @Override public String stepType() { return "test"; }
    @Override public Map<String, String> env() { return Map.of(); }
    @Override public boolean enterpriseMode() { return false; }
    @Override public Path jobDir() { return artifacts.getParent(); }
    @Override public Path artifactsDir() { return artifacts; }
    @Override public Path scratchDir() { return artifacts.resolveSibling("scratch"); }
    @Override
    public Path manifestsDir() {
        try {
            return java.nio.file.Files.createDirectories(artifacts.resolveSibling("manifests"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    @Override public Optional<LockLease> tryLock(String key, Duration ttl) { throw new UnsupportedOperationException(); }
    @Override public StepResult runStep(String type, String id, Map<String, Object> in) { throw new UnsupportedOperationException(); }
    @Override public void log(String level, String message) { logs.add(level + " " + message); }

    @Override
    public void event(String level, String event, Map<String, Object> fields) {
        Map<String, Object> e = new LinkedHashMap<>(fields);
        e.put("level", level);
        e.put("event", event);
        events.add(e);
    }

    @Override
    public String mask(String text) {
        String out = text;
        for (String s : secrets) {
            out = out == null ? null : out.replace(s, "***");
        }
        return out;
    }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        Path abs = (p.isAbsolute() ? p : artifacts.resolve(p)).normalize();
        if (!abs.startsWith(artifacts)) {
            throw new StepFailedException("Path not under allowed roots: " + path);
        }
        return abs;
    }

    @Override
    public <T extends Connector> T connector(String name, Class<T> type) {
        ConnectorConfig cfg = resources.get(name);
        if (cfg == null) {
            throw new StepFailedException("Unknown resource: " + name);
        }
        Connector c = open.computeIfAbsent(name, n -> cfg.kind().equals("smb") ? new SmbConnectorFactory().create(cfg)
                : new SftpConnectorFactory().create(cfg));
        return type.cast(c);
    }

    @Override
    public boolean hasResource(String name) {
        return resources.containsKey(name);
    }

    @Override
    public <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers) {
        throw new UnsupportedOperationException("these steps use declared resources only");
    }

    @Override
    public StepInputs inputs() {
        return new MapInputs(inputs);
    }

    @Override
    public void close() {
        open.values().forEach(Connector::close);
    }

    /** Strict inputs over a map, like the engine's (booleans strict, numbers from numeric strings). */
    static final class MapInputs implements StepInputs {
        private final Map<String, Object> m;

        MapInputs(Map<String, Object> m) {
            this.m = m == null ? Map.of() : m;
        }

        @Override public Map<String, Object> asMap() { return m; }
        @Override public boolean has(String name) { return m.containsKey(name); }
        @Override public Object raw(String name) { return m.get(name); }

        @Override
        public void require(String... names) {
            for (String n : names) {
                if (!m.containsKey(n)) {
                    throw new StepInputException("missing required input(s) [" + n + "]");
                }
            }
        }

        @Override
        public String string(String name) {
            Object v = m.get(name);
            if (v == null) {
                throw new StepInputException("missing required input '" + name + "'");
            }
            return v.toString();
        }

        @Override public String optString(String name, String d) { Object v = m.get(name); return v == null ? d : v.toString(); }

        @Override
        public boolean bool(String name, boolean d) {
            Object v = m.get(name);
            if (v == null) {
                return d;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            switch (v.toString().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1": return true;
                case "false", "no", "0": return false;
                default: throw new StepInputException("input '" + name + "' must be a boolean");
            }
        }

        @Override
        public long integer(String name, long d) {
            Object v = m.get(name);
            return v == null ? d : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
        }

        @Override
        public double number(String name, double d) {
            Object v = m.get(name);
            return v == null ? d : v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        }

        @Override
        public List<Object> list(String name) {
            Object v = m.get(name);
            return v == null ? List.of() : v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
        }

        @Override
        @SuppressWarnings("unchecked")
        public StepInputs section(String name) {
            Object v = m.get(name);
            return new MapInputs(v == null ? Map.of() : (Map<String, Object>) v);
        }
    }
}
