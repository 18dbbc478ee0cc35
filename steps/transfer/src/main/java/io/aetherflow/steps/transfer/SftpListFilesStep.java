package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code sftp_list_files} (reference step type) over any {@code RemoteFiles} resource; see {@link ListFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SftpListFilesStep.TYPE)
public final class SftpListFilesStep extends ListFilesStep {

    static final String TYPE = "sftp_list_files";

    @Override
    String type() {
        return TYPE;
    }
}
