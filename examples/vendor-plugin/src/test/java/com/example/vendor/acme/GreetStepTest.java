package com.example.vendor.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acme.greet against this bundle's own rest:acme-static driver, in the plugin test kit's fake context. */
class GreetStepTest {

    @TempDir
    Path tmp;

    private FakeStepContext ctx(Map<String, Object> replies) {
        return FakeStepContext.at(tmp).stepId("hello").stepType(GreetStep.TYPE)
                .resource("greetings", "rest", "acme-static", Map.of("replies", replies), Map.of(),
                        new StaticRestConnectorFactory());
    }

    @Test
    void fillsInTheNameAndReportsAnEvent() throws Exception {
        try (FakeStepContext ctx = ctx(Map.of("greeting", "Hello, {name}!"))
                .inputs(Map.of("resource", "greetings", "name", "Ada"))) {
            StepResult r = ctx.run(new GreetStep());
            assertEquals("Hello, Ada!", r.output().get("message"));
            assertEquals(200, r.output().get("status"));
            assertEquals("acme-static://greetings/greeting", r.output().get("source"));
            FakeStepContext.Event e = ctx.events("acme_greeted").get(0);
            assertEquals(11, e.field("chars"));
        }
    }

    @Test
    void aMissingReplyFailsTheStepAndAMissingNameIsAnInputError() {
        FakeStepContext ctx = ctx(Map.of("greeting", "Hi")).inputs(Map.of("resource", "greetings", "name", "Ada",
                "path", "nowhere"));
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx.run(new GreetStep()));
        assertTrue(e.getMessage().contains("answered 404 for nowhere"), e.getMessage());
        StepInputException missing = assertThrows(StepInputException.class,
                () -> ctx.inputs(Map.of("resource", "greetings")).run(new GreetStep()));
        assertEquals("job 'job' step 'hello': missing required input(s) [name]", missing.getMessage());
    }
}
