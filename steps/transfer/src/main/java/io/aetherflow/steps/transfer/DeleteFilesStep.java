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
import org.osgi.service.component.annotations.Component;

/**
 * {@code sftp_delete_files} and {@code smb_delete_files} (reference step types, over any
 * {@code RemoteFiles} resource; see {@link Family}): deletes each entry of {@code files} (a file, or an empty
 * directory). A missing remote file fails the step. An empty list is a SKIPPED result (reason
 * {@code no files to delete}). Outputs: {@code is_deleted}, {@code count}.
 */
@Component(service = Step.class, property = {Step.TYPE_PROPERTY + "=sftp_delete_files",
    Step.TYPE_PROPERTY + "=smb_delete_files"})
public final class DeleteFilesStep implements Step {

    @Override
    public StepResult run(StepContext ctx) {
        String type = ctx.stepType();
        StepInputs in = ctx.inputsRequiring("resource", "files");
        List<RemoteFile> files = Remote.files(ctx, type, "files");
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
                throw Remote.failed(ctx, type, e);
            }
        }
        ctx.event("INFO", "remote_delete", Map.of("count", files.size()));
        out.put("is_deleted", true);
        out.put("count", files.size());
        return StepResult.success(out);
    }
}
