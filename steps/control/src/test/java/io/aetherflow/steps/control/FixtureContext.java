package io.aetherflow.steps.control;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small engine stand-in for unit tests of the control steps: inputs over a map, locks in a map
 * shared between contexts (owner = run id), inner steps from a map of step types.
 */
final class FixtureContext implements StepContext {

    final Map<String, String> lockTable;
    final Map<String, Step> steps;
    final String runId;
    final Map<String, Object> inputs;
    final List<String> calls = new ArrayList<>();

    FixtureContext(String runId, Map<String, Object> inputs, Map<String, String> lockTable, Map<String, Step> steps) {
        this.runId = runId;
        this.inputs = inputs;
        this.lockTable = lockTable;
        this.steps = steps;
    }

    @Override public String flowId() { return "flow"; }
    @Override public String runId() { return runId; }
    @Override public String jobId() { return "job"; }
    @Override public String stepId() { return "outer"; }
    @Override public String stepType() { return "test"; }
    @Override public Map<String, String> env() { return Map.of(); }
    @Override public boolean enterpriseMode() { return false; }
    @Override public Path jobDir() { throw new UnsupportedOperationException(); }
    @Override public Path artifactsDir() { throw new UnsupportedOperationException(); }
    @Override public Path scratchDir() { throw new UnsupportedOperationException(); }
    @Override public Path manifestsDir() { throw new UnsupportedOperationException(); }
    @Override public Path resolvePath(String path) { throw new UnsupportedOperationException(); }
    @Override public <T extends Connector> T connector(String name, Class<T> type) { throw new UnsupportedOperationException(); }
    @Override public boolean hasResource(String name) { return false; }
    @Override public <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers) { throw new UnsupportedOperationException(); }
    @Override public void event(String level, String event, Map<String, Object> fields) { calls.add("event:" + event); }
    @Override public void log(String level, String message) { calls.add("log:" + message); }
    @Override public String mask(String text) { return text; }

    @Override
    public StepInputs inputs() {
        return new MapInputs(inputs);
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        synchronized (lockTable) {
            String owner = lockTable.get(key);
            if (owner != null && !owner.equals(runId)) {
                return Optional.empty();
            }
            lockTable.put(key, runId);
            calls.add("lock:" + key + ":" + ttl.getSeconds());
        }
        return Optional.of(new LockLease() {
            boolean held = true;
            @Override public String key() { return key; }
            @Override public boolean isHeld() { return held; }
            @Override public void close() {
                synchronized (lockTable) {
                    if (held) {
                        lockTable.remove(key);
                        held = false;
                        calls.add("release:" + key);
                    }
                }
            }
        });
    }

    @Override
    public StepResult runStep(String type, String id, Map<String, Object> in) throws Exception {
        calls.add("inner:" + type + ":" + id);
        Step s = steps.get(type);
        if (s == null) {
            throw new IllegalArgumentException("Unknown step type: " + type);
        }
        return s.run(new FixtureContext(runId, in, lockTable, steps));
    }

    /** Minimal strict inputs over a map (the engine's implementation is tested in core-runtime). */
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
        @Override public boolean bool(String name, boolean d) { Object v = m.get(name); return v == null ? d : (Boolean) v; }
        @Override public long integer(String name, long d) { Object v = m.get(name); return v == null ? d : ((Number) v).longValue(); }
        @Override public double number(String name, double d) { Object v = m.get(name); return v == null ? d : ((Number) v).doubleValue(); }
        @Override public List<Object> list(String name) { Object v = m.get(name); return v == null ? List.of() : new ArrayList<>((List<?>) v); }

        @Override
        @SuppressWarnings("unchecked")
        public StepInputs section(String name) {
            Object v = m.get(name);
            return new MapInputs(v == null ? new HashMap<>() : new LinkedHashMap<>((Map<String, Object>) v));
        }
    }
}
