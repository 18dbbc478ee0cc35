package io.aetherflow.testkit;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.ConnectorUnavailableException;
import io.aetherflow.api.step.StepFailedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** The drivers a {@link FakeStepContext} offers for ad-hoc connectors, and what was asked of them. */
final class AdhocDrivers {

    /** A driver: its kind, its name and aliases, and its factory. */
    private record Driver(String kind, String name, List<String> aliases, ConnectorFactory factory) {
        boolean answers(String kind, String driver) {
            return this.kind.equals(kind) && (driver == null || name.equals(driver) || aliases.contains(driver));
        }
    }

    private final List<Driver> drivers = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<Connector> made = new CopyOnWriteArrayList<>();
    volatile String refusal;

    void add(String kind, String name, ConnectorFactory factory, String... aliases) {
        drivers.add(new Driver(kind, name, List.of(aliases), factory));
    }

    /**
     * As the engine: a policy refusal first; then, per preferred name in order (or the kind's first
     * driver when none is named), the first installed driver answering it; a driver that refuses the
     * options, or whose connector lacks the contract, is skipped and its reason kept.
     */
    <T extends Connector> T connect(String kind, Class<T> contract, Map<String, Object> options, String stepId,
            UnaryOperator<String> mask, String... preferredDrivers) {
        requests.add(kind + List.of(preferredDrivers));
        String refused = refusal;
        if (refused != null) {
            throw new StepFailedException(refused);
        }
        List<String> names = preferredDrivers.length == 0 ? Collections.singletonList(null) : List.of(preferredDrivers);
        List<String> reasons = new ArrayList<>();
        for (String name : names) {
            for (Driver d : drivers) {
                if (!d.answers(kind, name)) {
                    continue;
                }
                try {
                    Connector c = d.factory().create(new ConnectorConfig(stepId, kind, name == null ? d.name() : name,
                            Map.of(), options));
                    if (!contract.isInstance(c)) {
                        c.close();
                        reasons.add(d.name() + ": not a " + contract.getSimpleName());
                        break;
                    }
                    made.add(c);
                    return contract.cast(c);
                } catch (ConnectorException e) {
                    reasons.add(mask.apply(e.getMessage()));
                }
                break;
            }
        }
        throw new ConnectorUnavailableException("no " + kind + " driver" + (reasons.isEmpty() ? " installed"
                : " accepted the options: " + String.join("; ", reasons)), kind, reasons, null);
    }
}
