package io.aetherflow.steps.archive;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.ZipExtracted;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code unzip}: extracts zip archives (catalog §9.2.16) through the archive contract, which refuses
 * unsafe entries (zip-slip, absolute paths, links) and zip bombs. An archive under {@code src_dir}
 * goes to {@code dest_dir/<its relative parent>} (or {@code dest_dir/<relative path without
 * extension>} with {@code private_zip_folder}); any other to {@code dest_dir/<archive file name>}.
 * Missing archives are skipped. See docs/connectors-archive.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=unzip")
public final class UnzipStep implements Step {

    static final String TYPE = "unzip";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputsRequiring("archives", "dest_dir");
        Object raw = in.raw("archives");
        List<Object> archives;
        if (raw == null) {
            return StepResult.success(Map.of());
        } else if (raw instanceof String s) {
            archives = List.of(s);
        } else if (raw instanceof List<?> l) {
            if (l.isEmpty()) {
                return StepResult.success(Map.of());
            }
            archives = new ArrayList<>(l);
        } else {
            throw new StepInputException("Archives must be a list of Path " + raw + " ");
        }
        Object rawMembers = in.raw("members");
        List<String> members = new ArrayList<>();
        if (rawMembers != null) {
            if (!(rawMembers instanceof List<?> ml)) {
                throw new StepInputException("unzip inputs.members must be a list when provided");
            }
            ml.forEach(m -> members.add(String.valueOf(m)));
        }
        Path dest = ctx.resolvePath(in.string("dest_dir"));
        Files.createDirectories(dest);
        Path srcDir = ArchiveInputs.srcDir(ctx, in);
        boolean overwrite = in.bool("overwrite", true);
        boolean privateFolder = in.bool("private_zip_folder", false);
        String password = ArchiveInputs.password(in);

        List<Path> present = new ArrayList<>();
        for (Object a : archives) {
            if (a == null) {
                continue;
            }
            Path p = ctx.resolvePath(a.toString());
            if (Files.isRegularFile(p)) {
                present.add(p);
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        if (!present.isEmpty()) {
            try (Drivers.Choice c = Drivers.choose(ctx, in, password, TYPE)) {
                for (Path archive : present) {
                    Path target = targetDir(archive, srcDir, dest, privateFolder);
                    ZipExtracted r = c.connector().extractZip(archive, target, password, overwrite, members);
                    results.add(r.toOutput());
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("archive", archive.toString());
                    ev.put("dest_dir", r.destDir().toString());
                    ev.put("files", r.files().size());
                    ev.put("driver", r.driver());
                    ctx.event("INFO", "unzip_extracted", ev);
                }
            } catch (ConnectorException e) {
                throw ArchiveInputs.failed(ctx, TYPE, e, password);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unzipped", results);
        out.put("dest_dir", dest.toString());
        return StepResult.success(out);
    }

    /** Where one archive goes (reference rules). */
    static Path targetDir(Path archive, Path srcDir, Path dest, boolean privateFolder) {
        if (archive.startsWith(srcDir)) {
            Path rel = srcDir.relativize(archive);
            if (privateFolder) {
                String name = rel.getFileName().toString();
                int dot = name.lastIndexOf('.');
                Path noExt = Path.of(dot > 0 ? name.substring(0, dot) : name);
                return rel.getParent() == null ? dest.resolve(noExt) : dest.resolve(rel.getParent()).resolve(noExt);
            }
            return rel.getParent() == null ? dest : dest.resolve(rel.getParent());
        }
        return dest.resolve(archive.getFileName().toString());
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        ArchiveInputs.check(raw, checks, TYPE, List.of("archives", "dest_dir"), "members",
                "unzip inputs.members must be a list when provided");
    }
}
