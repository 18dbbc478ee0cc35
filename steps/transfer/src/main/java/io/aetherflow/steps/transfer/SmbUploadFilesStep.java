package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepInputs;
import org.osgi.service.component.annotations.Component;

/** {@code smb_upload_files} (reference step type) over any {@code RemoteFiles} resource; see {@link UploadFilesStep}. */
@Component(service = Step.class, property = Step.TYPE_PROPERTY + "=" + SmbUploadFilesStep.TYPE)
public final class SmbUploadFilesStep extends UploadFilesStep {

    static final String TYPE = "smb_upload_files";

    @Override
    String type() {
        return TYPE;
    }

    @Override
    boolean backslashPaths() {
        return true;
    }

    /** The reference's {@code local_files}; {@code items} (with ids and remote names) also works. */
    @Override
    String itemsInput(StepInputs in) {
        return in.has("items") && !in.has("local_files") ? "items" : "local_files";
    }

    @Override
    boolean uploadedAsPaths() {
        return true;
    }
}
