package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import org.osgi.service.component.annotations.Component;

/** {@code smb_download_files} (reference step type) over any {@code RemoteFiles} resource; see {@link DownloadFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SmbDownloadFilesStep.TYPE)
public final class SmbDownloadFilesStep extends DownloadFilesStep {

    static final String TYPE = "smb_download_files";

    @Override
    String type() {
        return TYPE;
    }
}
