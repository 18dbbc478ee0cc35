package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code sftp_delete_files} (reference step type) over any {@code RemoteFiles} resource; see {@link DeleteFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SftpDeleteFilesStep.TYPE)
public final class SftpDeleteFilesStep extends DeleteFilesStep {

    static final String TYPE = "sftp_delete_files";

    @Override
    String type() {
        return TYPE;
    }
}
