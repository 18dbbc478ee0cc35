package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code sftp_upload_files} (reference step type) over any {@code RemoteFiles} resource; see {@link UploadFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SftpUploadFilesStep.TYPE)
public final class SftpUploadFilesStep extends UploadFilesStep {

    static final String TYPE = "sftp_upload_files";

    @Override
    String type() {
        return TYPE;
    }
}
