package io.aetherflow.steps.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.archive.ArchiveConnector;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which archive connector a {@code zip}/{@code unzip} step uses, as in the reference: the named
 * resource ({@code resource} or {@code connector}), else a resource named {@code archive_default},
 * else (not in enterprise mode) an ad-hoc connector of an installed driver: with a password
 * {@code pyzipper}/{@code aes}, then {@code os}; without one {@code zipfile}/{@code zip}. The
 * connector reports the driver by the name it was created with: a resource's {@code driver} as
 * written, and for an ad-hoc connector the reference's name ({@code zipfile}, {@code pyzipper}).
 */
final class Drivers {

    static final String DEFAULT_RESOURCE = "archive_default";

    /** The connector to use and whether the step must close it (ad-hoc ones). */
    record Choice(ArchiveConnector connector, boolean adHoc) implements AutoCloseable {
        @Override
        public void close() {
            if (adHoc) {
                connector.close();
            }
        }
    }

    private Drivers() {
    }

    /**
     * @param verb {@code zip} or {@code unzip}, for messages
     * @param factories installed archive drivers with their service properties
     */
    static Choice choose(StepContext ctx, StepInputs in, String password, String verb,
            List<Map.Entry<Map<String, Object>, ConnectorFactory>> factories) {
        String resource = in.optString("resource", null);
        if (resource == null || resource.isBlank()) {
            resource = in.optString("connector", null);
        }
        if (resource != null && !resource.isBlank()) {
            return new Choice(ctx.connector(resource.trim(), ArchiveConnector.class), false);
        }
        try {
            return new Choice(ctx.connector(DEFAULT_RESOURCE, ArchiveConnector.class), false);
        } catch (StepFailedException e) {
            // the engine's message for an undeclared resource; any other failure is real
            if (e.getMessage() == null || !e.getMessage().startsWith("Unknown resource: " + DEFAULT_RESOURCE + ".")) {
                throw e;
            }
        }
        if (ctx.enterpriseMode()) {
            throw new StepFailedException("Zip/Unzip requires declared archive resource in enterprise mode");
        }
        String capital = verb.equals("zip") ? "zip" : "unzip";
        // the reference's driver names first: the ad-hoc connector is named by them, so outputs and
        // messages say zipfile / pyzipper as they do there (a driver that only has our name still serves)
        List<String> wanted = password == null ? List.of("zipfile", "zip") : List.of("pyzipper", "aes", "os");
        List<Map.Entry<Map<String, Object>, ConnectorFactory>> sorted = new ArrayList<>(factories);
        sorted.sort(Comparator.comparingInt((Map.Entry<Map<String, Object>, ConnectorFactory> e) -> ranking(e.getKey()))
                .reversed());
        List<String> reasons = new ArrayList<>();
        for (String name : wanted) {
            for (Map.Entry<Map<String, Object>, ConnectorFactory> f : sorted) {
                if (!names(f.getKey()).contains(name)) {
                    continue;
                }
                ConnectorConfig cfg = new ConnectorConfig(ctx.stepId(), "archive", name, Map.of(),
                        in.section("options").asMap());
                try {
                    Connector c = f.getValue().create(cfg);
                    if (c instanceof ArchiveConnector a) {
                        return new Choice(a, true);
                    }
                    c.close();
                } catch (ConnectorException e) {
                    reasons.add(e.getMessage());
                }
            }
        }
        if (password != null) {
            throw new StepFailedException("Encrypted " + capital + " requires an archive connector. Provide "
                    + "inputs.resource (kind=archive), or define a resource named 'archive_default'. Recommended: "
                    + "kind=archive driver=pyzipper." + (reasons.isEmpty() ? "" : " " + String.join("; ", reasons)));
        }
        throw new StepFailedException(capital + ": no archive driver zip (alias zipfile) is installed"
                + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")
                + "; install io.aetherflow.connectors.archive or declare an archive resource");
    }

    private static List<String> names(Map<String, Object> props) {
        List<String> out = new ArrayList<>();
        Object d = props.get(ConnectorFactory.DRIVER_PROPERTY);
        if (d != null) {
            out.add(d.toString());
        }
        Object a = props.get(ConnectorFactory.ALIASES_PROPERTY);
        if (a instanceof String[] arr) {
            out.addAll(List.of(arr));
        } else if (a instanceof Iterable<?> it) {
            it.forEach(x -> out.add(String.valueOf(x)));
        } else if (a != null) {
            out.add(a.toString());
        }
        return out;
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get("service.ranking");
        return r instanceof Integer i ? i : 0;
    }
}
