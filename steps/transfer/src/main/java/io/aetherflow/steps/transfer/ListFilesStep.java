package io.aetherflow.steps.transfer;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code sftp_list_files} and {@code smb_list_files} (reference step types, over any
 * {@code RemoteFiles} resource; see {@link Family}): lists {@code remote_dir} (entries whose name matches {@code pattern},
 * default {@code *}; {@code recursive} descends into directories and returns files only). Fewer than
 * {@code min_count} (default 1) entries is a SKIPPED result with reason
 * {@code count(<n>) < min_count(<m>)}, which {@code on_no_data: skip_job} turns into a job skip.
 * Outputs: {@code has_data}, {@code count}, {@code files} (entry maps sorted by {@code rel_path}).
 */
@Component(service = Step.class, property = {Step.TYPE_PROPERTY + "=sftp_list_files",
    Step.TYPE_PROPERTY + "=smb_list_files"})
public final class ListFilesStep implements Step {

    @Override
    public StepResult run(StepContext ctx) {
        String type = ctx.stepType();
        Family family = Family.of(type);
        StepInputs in = ctx.inputsRequiring("resource", "remote_dir");
        String dir = Remote.remoteDir(in.string("remote_dir"), family.backslashPaths());
        String pattern = in.optString("pattern", "*");
        boolean recursive = in.bool("recursive", false);
        long minCount = in.integer("min_count", 1);
        if (minCount < 0) {
            throw new StepInputException(type + ": inputs.min_count must be 0 or more, found " + minCount);
        }
        RemoteFiles remote = Remote.connector(ctx, in.string("resource"));
        List<RemoteFile> found;
        try {
            found = remote.list(dir, pattern, recursive);
        } catch (ConnectorException e) {
            throw Remote.failed(ctx, type, e);
        }
        List<Object> files = new ArrayList<>(found.size());
        for (RemoteFile f : found) {
            files.add(f.toMap());
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("remote_dir", dir);
        ev.put("pattern", pattern);
        ev.put("recursive", recursive);
        ev.put("count", files.size());
        ctx.event("INFO", "remote_list", ev);
        Map<String, Object> out = new LinkedHashMap<>();
        if (files.size() < minCount) {
            out.put("has_data", false);
            out.put("count", files.size());
            out.put("files", List.of());
            return StepResult.skipped("count(" + files.size() + ") < min_count(" + minCount + ")", out);
        }
        out.put("has_data", true);
        out.put("count", files.size());
        out.put("files", files);
        return StepResult.success(out);
    }
}
