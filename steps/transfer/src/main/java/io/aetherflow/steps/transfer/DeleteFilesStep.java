package io.aetherflow.steps.transfer;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <family>_delete_files}: deletes each entry of {@code files} (a file, or an empty
 * directory). A missing remote file fails the step. An empty list is a SKIPPED result (reason
 * {@code no files to delete}). Outputs: {@code is_deleted}, {@code count}.
 */
abstract class DeleteFilesStep implements Step {

    /** @return the step type, e.g. {@code sftp_delete_files} */
    abstract String type();

    @Override
    public StepResult run(StepContext ctx) {
        StepInputs in = ctx.inputs();
        in.require("resource", "files");
        List<RemoteFile> files = Remote.files(ctx, type(), "files");
        Map<String, Object> out = new LinkedHashMap<>();
        if (files.isEmpty()) {
            out.put("is_deleted", false);
            out.put("count", 0);
            return StepResult.skipped("no files to delete", out);
        }
        RemoteFiles remote = Remote.connector(ctx, in.string("resource"));
        for (RemoteFile f : files) {
            try {
                remote.delete(f.path());
            } catch (ConnectorException e) {
                throw Remote.failed(ctx, type(), e);
            }
        }
        ctx.event("INFO", "remote_delete", Map.of("count", files.size()));
        out.put("is_deleted", true);
        out.put("count", files.size());
        return StepResult.success(out);
    }
}
