package io.aetherflow.steps.archive;

import io.aetherflow.api.connector.archive.ArchiveConnector;
import io.aetherflow.api.step.ConnectorUnavailableException;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import java.util.List;

/**
 * Which archive connector a {@code zip}/{@code unzip} step uses, as in the reference: the named
 * resource ({@code resource} or {@code connector}), else a resource named {@code archive_default},
 * else an ad-hoc connector the engine creates (refused in enterprise mode): with a password
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
     */
    static Choice choose(StepContext ctx, StepInputs in, String password, String verb) {
        String resource = in.optString("resource", null);
        if (resource == null || resource.isBlank()) {
            resource = in.optString("connector", null);
        }
        if (resource != null && !resource.isBlank()) {
            return new Choice(ctx.connector(resource.trim(), ArchiveConnector.class), false);
        }
        if (ctx.hasResource(DEFAULT_RESOURCE)) {
            return new Choice(ctx.connector(DEFAULT_RESOURCE, ArchiveConnector.class), false);
        }
        String capital = verb.equals("zip") ? "zip" : "unzip";
        // the reference's driver names first: the ad-hoc connector is named by them, so outputs and
        // messages say zipfile / pyzipper as they do there (a driver that only has our name still serves);
        // the engine picks the driver per name and refuses ad-hoc archives in enterprise mode
        String[] wanted = password == null ? new String[] {"zipfile", "zip"} : new String[] {"pyzipper", "aes", "os"};
        try {
            return new Choice(ctx.adhocConnector("archive", ArchiveConnector.class, in.section("options").asMap(),
                    wanted), true);
        } catch (ConnectorUnavailableException e) {
            List<String> reasons = e.reasons();
            if (password != null) {
                throw new StepFailedException("Encrypted " + capital + " requires an archive connector. Provide "
                        + "inputs.resource (kind=archive), or define a resource named 'archive_default'. Recommended: "
                        + "kind=archive driver=pyzipper." + (reasons.isEmpty() ? "" : " " + String.join("; ", reasons)),
                        e);
            }
            throw new StepFailedException(capital + ": no archive driver zip (alias zipfile) is installed"
                    + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")
                    + "; install io.aetherflow.connectors.archive or declare an archive resource", e);
        }
    }
}
