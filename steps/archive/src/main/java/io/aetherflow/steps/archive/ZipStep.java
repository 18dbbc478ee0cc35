package io.aetherflow.steps.archive;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.Compression;
import io.aetherflow.api.connector.archive.ZipCreated;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * {@code zip}: writes one zip archive from files, directories and globs (catalog §9.2.15). Items are
 * de-duplicated and sorted; each must lie under {@code src_dir} (default: the job's artifacts
 * directory), which archive names are relative to. No files: SKIPPED with reason {@code no_files}.
 * See docs/connectors-archive.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=zip")
public final class ZipStep implements Step {

    static final String TYPE = "zip";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputsRequiring("dest_path", "items");
        Object rawItems = in.raw("items");
        if (!(rawItems instanceof List<?> items)) {
            throw new StepInputException("zip inputs.items must be a list");
        }
        Path dest = ctx.resolvePath(in.string("dest_path"));
        Path srcDir = ArchiveInputs.srcDir(ctx, in);
        boolean recursive = in.bool("recursive", true);
        boolean overwrite = in.bool("overwrite", true);
        String password = ArchiveInputs.password(in);
        Compression compression = Compression.parse(in.optString("compression", "deflated"));

        TreeSet<Path> files = new TreeSet<>();
        for (Object item : items) {
            collect(ctx, item, recursive, files);
        }
        // never archive the archive itself (an earlier run's output matched by a glob)
        files.remove(dest);
        files.remove(dest.resolveSibling(dest.getFileName() + ".tmp"));
        for (Path f : files) {
            if (!f.startsWith(srcDir)) {
                throw new StepFailedException("zip input '" + f + "' is outside base_dir '" + srcDir + "'");
            }
        }
        if (files.isEmpty()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("output", dest.toString());
            out.put("count", 0);
            return StepResult.skipped("no_files", out);
        }
        try (Drivers.Choice c = Drivers.choose(ctx, in, password, TYPE)) {
            ZipCreated r = c.connector().createZip(dest, new ArrayList<>(files), srcDir, password, compression, overwrite);
            Map<String, Object> out = r.toOutput();
            out.put("src_dir", srcDir.toString());
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("output", r.output().toString());
            ev.put("count", r.count());
            ev.put("driver", r.driver());
            ev.put("encrypted", r.password());
            ctx.event("INFO", "zip_created", ev);
            return StepResult.success(out);
        } catch (ConnectorException e) {
            throw ArchiveInputs.failed(ctx, TYPE, e, password);
        }
    }

    /** Adds the files one item names: a path, a glob (in the last segment), or a map with path/glob. */
    private static void collect(StepContext ctx, Object item, boolean recursive, TreeSet<Path> files) throws IOException {
        String path;
        boolean glob;
        if (item instanceof Map<?, ?> m) {
            if (m.get("path") != null) {
                path = m.get("path").toString();
                glob = false;
            } else if (m.get("glob") != null) {
                path = m.get("glob").toString();
                glob = true;
            } else {
                throw new StepInputException("zip inputs item dict must have 'path' or 'glob'");
            }
        } else if (item == null) {
            return;
        } else {
            path = item.toString();
            glob = path.contains("*") || path.contains("?") || path.contains("[");
        }
        if (glob) {
            String norm = path.replace('\\', '/');
            int slash = norm.lastIndexOf('/');
            String dirPart = slash < 0 ? "" : norm.substring(0, slash);
            String pattern = norm.substring(slash + 1);
            Path dir = dirPart.isEmpty() ? ctx.artifactsDir().toAbsolutePath().normalize() : ctx.resolvePath(dirPart);
            if (!Files.isDirectory(dir)) {
                return;
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (matcher.matches(p.getFileName())) {
                        add(p.toAbsolutePath().normalize(), recursive, files);
                    }
                }
            }
        } else {
            add(ctx.resolvePath(path), recursive, files);
        }
    }

    private static void add(Path p, boolean recursive, TreeSet<Path> files) throws IOException {
        if (Files.isRegularFile(p)) {
            files.add(p);
        } else if (Files.isDirectory(p) && recursive) {
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(Files::isRegularFile).forEach(f -> files.add(f.toAbsolutePath().normalize()));
            }
        }
        // missing paths (and directories when not recursive) are ignored, as in the reference
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        ArchiveInputs.check(raw, checks, TYPE, List.of("dest_path", "items"), "items", "zip inputs.items must be a list");
    }
}
