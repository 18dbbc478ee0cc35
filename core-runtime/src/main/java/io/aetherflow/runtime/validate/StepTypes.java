package io.aetherflow.runtime.validate;

import io.aetherflow.api.step.Step;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The step types known to validation (built-in and plugin steps). */
public interface StepTypes {

    /** @return every registered type name */
    Set<String> names();

    /**
     * @param type a type name
     * @return the step, or null when the type is unknown
     */
    Step find(String type);

    /**
     * The step types an installed plugin set serves. Listing names activates nothing.
     *
     * @param catalog the plugin catalog
     * @return the lookup
     */
    static StepTypes of(io.aetherflow.runtime.plugins.PluginCatalog catalog) {
        // looking a type up activates its component, so its checkInputs can run; a class, not
        // lambdas: each lambda costs a class spun at run time in the short-lived JVM of a command
        return new StepTypes() {
            @Override
            public Set<String> names() {
                return catalog.stepTypeNames();
            }

            @Override
            public Step find(String type) {
                java.util.Optional<io.aetherflow.runtime.plugins.StepBinding> b = catalog.step(type);
                return b.isPresent() ? b.get().step().get() : null;
            }
        };
    }

    /**
     * Step types from a fixed map.
     *
     * @param steps type name to step
     * @return the lookup
     */
    static StepTypes of(Map<String, ? extends Step> steps) {
        Map<String, Step> copy = Collections.unmodifiableMap(new TreeMap<>(steps));
        return new Fixed(copy.keySet(), copy);
    }

    /**
     * Step types from a fixed map.
     *
     * @param names the type names (the accessor serves {@link #names()})
     * @param steps type name to step
     */
    record Fixed(Set<String> names, Map<String, Step> steps) implements StepTypes {

        @Override
        public Step find(String type) {
            return steps.get(type);
        }
    }
}
