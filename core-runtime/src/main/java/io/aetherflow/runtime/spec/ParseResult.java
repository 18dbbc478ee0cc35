package io.aetherflow.runtime.spec;

import java.util.List;

/**
 * The outcome of {@link SpecParser#parse(io.aetherflow.runtime.yaml.LoadedYaml)}.
 *
 * @param spec the parsed flow, or null when there are schema errors
 * @param errors schema errors ({@code schema:*}), in document order
 * @param warnings schema warnings ({@code schema:unknown_key})
 */
public record ParseResult(FlowSpec spec, List<Issue> errors, List<Issue> warnings) {

    /** Copies the lists. */
    public ParseResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** @return true when the flow is schema-valid */
    public boolean ok() {
        return errors.isEmpty();
    }
}
