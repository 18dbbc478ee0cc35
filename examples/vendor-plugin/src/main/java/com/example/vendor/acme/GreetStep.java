package com.example.vendor.acme;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code acme.greet}: fetches a greeting template ({@code path}, default {@code greeting}) from a
 * {@code rest} resource through the core API's HTTP contract and fills in {@code {name}}. Outputs
 * {@code message}, {@code status} and {@code source} (the URL that answered). Any {@code rest} driver
 * serves it: {@code rest:acme-static} from this bundle, or the built-in {@code rest:http}.
 */
@Component(property = Step.TYPE_PROPERTY + "=" + GreetStep.TYPE)
public final class GreetStep implements Step {

    static final String TYPE = "acme.greet";
    static final String DEFAULT_PATH = "greeting";

    /** For Declarative Services. */
    public GreetStep() {
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        in.require("resource", "name");
        String resource = in.string("resource");
        String name = in.string("name");
        String path = in.optString("path", DEFAULT_PATH);
        HttpConnector http = ctx.connector(resource, HttpConnector.class);
        HttpReply reply;
        try {
            reply = http.request(HttpCall.of("GET", path));
        } catch (ConnectorException e) {
            throw new StepFailedException(TYPE + ": " + ctx.mask(e.getMessage()), e);
        }
        if (reply.status() != 200) {
            throw new StepFailedException(TYPE + ": resource " + resource + " answered " + reply.status() + " for "
                    + path + " (expected 200); check inputs.path or the resource's replies");
        }
        String message = reply.text().strip().replace("{name}", name);
        ctx.event("INFO", "acme_greeted", Map.of("resource", resource, "path", path, "chars", message.length()));
        return StepResult.success(Map.of("message", message, "status", reply.status(), "source", reply.uri()));
    }

    @Override
    public void checkInputs(Map<String, Object> rawInputs, InputChecks checks) {
        for (String required : new String[] {"resource", "name"}) {
            if (rawInputs.get(required) == null) {
                checks.error("semantic:acme_greet_missing_" + required, "inputs." + required,
                        TYPE + " requires inputs." + required);
            }
        }
        Object path = rawInputs.get("path");
        if (path != null && !(path instanceof String)) {
            checks.error("semantic:acme_greet_path_type", "inputs.path", TYPE + ": inputs.path must be a text");
        }
    }
}
