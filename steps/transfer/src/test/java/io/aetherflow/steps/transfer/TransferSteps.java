package io.aetherflow.steps.transfer;

import io.aetherflow.api.step.Step;

/** The component serving a transfer step type, as the bundle registers it (one per operation, both families). */
final class TransferSteps {

    private TransferSteps() {
    }

    static Step forType(String type) {
        return switch (type.substring(type.indexOf('_') + 1)) {
            case "list_files" -> new ListFilesStep();
            case "download_files" -> new DownloadFilesStep();
            case "delete_files" -> new DeleteFilesStep();
            case "upload_files" -> new UploadFilesStep();
            default -> throw new IllegalArgumentException("no transfer step for " + type);
        };
    }
}
