package io.aetherflow.steps.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.LockBusyException;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlStepsTest {

    @TempDir
    Path tmp;

    private final Map<String, String> locks = new HashMap<>();
    private final Map<String, Step> steps = new HashMap<>(Map.of("check_items", new CheckItemsStep()));

    private FakeStepContext ctx(String run, Map<String, Object> inputs) {
        FakeStepContext c = FakeStepContext.at(tmp).runId(run).stepId("outer").inputs(inputs).locks(locks);
        steps.forEach(c::step);
        return c;
    }

    @Test
    void checkItemsCountsAListAndSucceeds() throws Exception {
        StepResult r = new CheckItemsStep().run(ctx("r1", Map.of("items", List.of("a", "b", "c"))));
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(Map.of("has_data", true, "count", 3), r.output());
    }

    @Test
    void checkItemsSplitsCommaSeparatedStringsAndDropsEmpties() throws Exception {
        StepResult r = new CheckItemsStep().run(ctx("r1", Map.of("items", " a, ,b ,, ")));
        assertEquals(2, r.output().get("count"));
    }

    @Test
    void checkItemsBelowMinCountIsSkippedWithReason() throws Exception {
        StepResult r = new CheckItemsStep().run(ctx("r1", Map.of("items", List.of("a"), "min_count", 2)));
        assertEquals(StepResult.SKIPPED, r.status());
        assertEquals("count(1) < min_count(2)", r.reason());
        assertEquals(false, r.asOutput().get("has_data"));
        assertEquals("count(1) < min_count(2)", r.asOutput().get("reason"));
    }

    @Test
    void checkItemsEmptyListIsSkippedByDefault() throws Exception {
        StepResult r = new CheckItemsStep().run(ctx("r1", Map.of("items", List.of())));
        assertTrue(r.isSkipped());
        assertEquals("count(0) < min_count(1)", r.reason());
    }

    @Test
    void checkItemsRejectsOtherTypes() {
        StepInputException e = assertThrows(StepInputException.class,
                () -> new CheckItemsStep().run(ctx("r1", Map.of("items", Map.of("a", 1)))));
        assertEquals("check_items expects 'items' to be a list or a comma-separated string", e.getMessage());
    }

    private static Map<String, Object> withLock(String key, Object onBusy) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("lock_key", key);
        in.put("ttl_seconds", 30);
        if (onBusy != null) {
            in.put("on_busy", onBusy);
        }
        in.put("step", Map.of("type", "check_items", "inputs", Map.of("items", List.of("x"))));
        return in;
    }

    @Test
    void withLockRunsTheInnerStepUnderTheLockAndReleasesIt() throws Exception {
        FakeStepContext c = ctx("r1", withLock("k", null));
        StepResult r = new WithLockStep().run(c);
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(1, r.output().get("count"));
        assertEquals(List.of("lock:k:30", "inner:check_items:outer_inner", "release:k"), c.journal());
        assertTrue(locks.isEmpty());
    }

    @Test
    void withLockFailsWhenAnotherRunHoldsTheLock() {
        locks.put("k", "other-run");
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> new WithLockStep().run(ctx("r1", withLock("k", null))));
        assertEquals("Lock not acquired: k", e.getMessage());
        assertFalse(e instanceof LockBusyException);
        assertEquals("other-run", locks.get("k"));
    }

    @Test
    void withLockOnBusyExitAsksForExitCode75() {
        locks.put("k", "other-run");
        assertThrows(LockBusyException.class, () -> new WithLockStep().run(ctx("r1", withLock("k", "exit"))));
    }

    @Test
    void withLockReleasesTheLockWhenTheInnerStepFails() {
        Map<String, Object> in = withLock("k", null);
        in.put("step", Map.of("type", "check_items", "inputs", Map.of("items", 5)));
        assertThrows(StepInputException.class, () -> new WithLockStep().run(ctx("r1", in)));
        assertTrue(locks.isEmpty());
    }

    @Test
    void withLockRejectsAnUnknownOnBusyValue() {
        assertThrows(StepInputException.class, () -> new WithLockStep().run(ctx("r1", withLock("k", "wait"))));
    }

    private static final class Collect implements InputChecks {
        final List<String> issues = new ArrayList<>();

        @Override
        public void error(String code, String loc, String message) {
            issues.add(code + "@" + loc);
        }

        @Override
        public void warning(String code, String loc, String message) {
            issues.add("W:" + code + "@" + loc);
        }

        @Override
        public void checkNestedStep(String loc, Map<String, Object> stepSpec) {
            issues.add("nested@" + loc + ":" + stepSpec.get("type"));
        }
    }

    @Test
    void withLockValidationChecksKeyStepAndNestedStep() {
        Collect c = new Collect();
        new WithLockStep().checkInputs(Map.of("on_busy", "later"), c);
        assertEquals(List.of("semantic:with_lock_missing_lock_key@inputs.lock_key",
                "semantic:with_lock_on_busy@inputs.on_busy", "semantic:with_lock_missing_step@inputs.step"), c.issues);
        Collect ok = new Collect();
        new WithLockStep().checkInputs(withLock("k", null), ok);
        assertEquals(List.of("nested@inputs.step:check_items"), ok.issues);
    }

    @Test
    void checkItemsValidationRequiresItems() {
        Collect c = new Collect();
        new CheckItemsStep().checkInputs(Map.of(), c);
        assertEquals(List.of("semantic:check_items_missing_items@inputs.items"), c.issues);
    }
}
