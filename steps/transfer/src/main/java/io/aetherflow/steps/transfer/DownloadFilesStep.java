package io.aetherflow.steps.transfer;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code sftp_download_files} and {@code smb_download_files} (reference step types, over any
 * {@code RemoteFiles} resource; see {@link Family}): downloads each entry of {@code files} to
 * {@code dest_dir/<rel_path>} (relative {@code dest_dir} under the job's artifacts directory;
 * absolute honoured, as in the reference). A target escaping {@code dest_dir} is refused; parent
 * directories are created; each file is written to {@code <target>.part} and renamed when complete.
 * An empty {@code files} list is a SKIPPED result (reason {@code no files to download}).
 * Outputs: {@code local_files} (absolute paths in input order), {@code dest_dir}, {@code count}.
 */
@Component(service = Step.class, property = {Step.TYPE_PROPERTY + "=sftp_download_files",
    Step.TYPE_PROPERTY + "=smb_download_files"})
public final class DownloadFilesStep implements Step {

    @Override
    public StepResult run(StepContext ctx) throws IOException {
        String type = ctx.stepType();
        StepInputs in = ctx.inputsRequiring("resource", "files", "dest_dir");
        List<RemoteFile> files = Remote.files(ctx, type, "files");
        Path destInput = Path.of(in.string("dest_dir"));
        Path dest = (destInput.isAbsolute() ? destInput : ctx.artifactsDir().resolve(destInput)).normalize();
        List<Path> targets = new ArrayList<>();
        for (RemoteFile f : files) {
            String rel = f.relPath() != null && !f.relPath().isEmpty() ? f.relPath() : f.name();
            String stripped = rel.replaceFirst("^[/\\\\]+", "");
            Path target = dest.resolve(stripped).normalize();
            if (stripped.isEmpty() || !target.startsWith(dest) || target.equals(dest)) {
                throw new StepFailedException(type + ": dest path escapes dest_dir: " + rel);
            }
            targets.add(target);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (files.isEmpty()) {
            out.put("local_files", List.of());
            out.put("dest_dir", dest.toString());
            out.put("count", 0);
            return StepResult.skipped("no files to download", out);
        }
        RemoteFiles remote = Remote.connector(ctx, in.string("resource"));
        List<Object> local = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            Path target = targets.get(i);
            Files.createDirectories(target.getParent());
            try {
                remote.download(files.get(i).path(), target);
            } catch (ConnectorException e) {
                throw Remote.failed(ctx, type, e);
            }
            bytes += Files.size(target);
            local.add(target.toString());
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("count", local.size());
        ev.put("bytes", bytes);
        ev.put("dest_dir", dest.toString());
        ctx.event("INFO", "remote_download", ev);
        out.put("local_files", local);
        out.put("dest_dir", dest.toString());
        out.put("count", local.size());
        return StepResult.success(out);
    }
}
