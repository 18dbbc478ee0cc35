package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code smb_list_files} (reference step type) over any {@code RemoteFiles} resource; see {@link ListFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SmbListFilesStep.TYPE)
public final class SmbListFilesStep extends ListFilesStep {

    static final String TYPE = "smb_list_files";

    @Override
    String type() {
        return TYPE;
    }

    @Override
    boolean backslashPaths() {
        return true;
    }
}
