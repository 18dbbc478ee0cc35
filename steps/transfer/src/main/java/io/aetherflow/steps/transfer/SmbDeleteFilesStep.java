package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code smb_delete_files} (reference step type) over any {@code RemoteFiles} resource; see {@link DeleteFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SmbDeleteFilesStep.TYPE)
public final class SmbDeleteFilesStep extends DeleteFilesStep {

    static final String TYPE = "smb_delete_files";

    @Override
    String type() {
        return TYPE;
    }
}
