package io.aetherflow.steps.transfer;

import io.aetherflow.api.support.FileTrees;
import io.aetherflow.api.support.Json;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sftp_upload_files} and {@code smb_upload_files} (reference step types, over any
 * {@code RemoteFiles} resource; see {@link Family}): uploads {@code items} (paths, or mappings {@code {file, id?,
 * remote_name?}}) to {@code <remote_dir>/<remote_name or file name>}, in parallel over a bounded
 * pool ({@code parallelism.enabled} true, {@code workers} 8, {@code fail_fast} true).
 *
 * <p>Idempotency: the manifest {@code <manifests>/<step id>.manifest.json} lists a record per item
 * ({@code {id, file, remote_path}} or {@code {id, skipped: true}}); an item whose id (default: the
 * file name) is already in it is not uploaded again. Unlike the reference, the manifest is rewritten
 * (atomically) after every completed upload, so a failed or interrupted step keeps its progress and
 * a resume uploads only what is missing. Relative local paths are under the job's artifacts
 * directory (the reference used the process's working directory).
 *
 * <p>No items is a SKIPPED result (reason {@code no items to upload}). Outputs: {@code manifest},
 * {@code count} (records including skipped ones), {@code uploaded}, {@code skipped},
 * {@code remote_dir}.
 */
@Component(service = Step.class, property = {Step.TYPE_PROPERTY + "=sftp_upload_files",
    Step.TYPE_PROPERTY + "=smb_upload_files"})
public final class UploadFilesStep implements Step {

    static final int MAX_WORKERS = 64;

    private record Item(String id, Path local, String remotePath) {
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String type = ctx.stepType();
        Family family = Family.of(type);
        StepInputs in = ctx.inputs();
        String itemsKey = family.uploadItemsInput(in);
        in.require("resource", itemsKey, "remote_dir");
        String dir = Remote.remoteDir(in.string("remote_dir"), family.backslashPaths());
        List<Item> items = items(ctx, type, itemsKey, dir);
        StepInputs par = in.section("parallelism");
        boolean parallel = par.bool("enabled", true);
        long workers = par.integer("workers", 8);
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new StepInputException(type + ": inputs.parallelism.workers must be between 1 and " + MAX_WORKERS
                    + ", found " + workers);
        }
        boolean failFast = par.bool("fail_fast", true);
        Path manifestFile = ctx.manifestsDir().resolve(ctx.stepId() + ".manifest.json");

        Map<String, Object> out = new LinkedHashMap<>();
        if (items.isEmpty()) {
            out.put("manifest", manifestFile.toString());
            out.put("count", 0);
            out.put("uploaded", family.uploadedAsPaths() ? List.of() : 0);
            out.put("skipped", 0);
            out.put("remote_dir", dir);
            return StepResult.skipped("no items to upload", out);
        }

        Manifest manifest = new Manifest(manifestFile, read(manifestFile), items);
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            if (manifest.known(it.id())) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("id", it.id());
                rec.put("skipped", true);
                manifest.record(i, rec);
            } else {
                if (!Files.isRegularFile(it.local())) {
                    throw new StepFailedException(type + ": local file not found: " + it.local() + " (item '" + it.id()
                            + "'; relative paths are under the job's artifacts directory " + ctx.artifactsDir() + ")");
                }
                todo.add(i);
            }
        }
        int skipped = items.size() - todo.size();
        if (!todo.isEmpty()) {
            RemoteFiles remote = Remote.connector(ctx, in.string("resource"));
            try {
                remote.mkdirs(dir);
            } catch (ConnectorException e) {
                throw Remote.failed(ctx, type, e);
            }
            int threads = parallel ? (int) Math.min(workers, todo.size()) : 1;
            List<String> errors = threads > 1 ? uploadParallel(type, remote, items, todo, manifest, threads, failFast)
                    : uploadSequential(remote, items, todo, manifest, failFast);
            if (!errors.isEmpty()) {
                String first = ctx.mask(errors.get(0));
                throw new StepFailedException(type + ": " + (errors.size() == 1 ? first
                        : errors.size() + " uploads failed, first: " + first) + " (" + manifest.uploaded() + " of "
                        + todo.size() + " uploaded; the manifest " + manifestFile
                        + " records them, so a resume uploads only the rest)");
            }
        } else {
            manifest.persist();
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("remote_dir", dir);
        ev.put("uploaded", manifest.uploaded());
        ev.put("skipped", skipped);
        ev.put("workers", parallel ? Math.min(workers, Math.max(1, todo.size())) : 1);
        ctx.event("INFO", "remote_upload", ev);
        out.put("manifest", manifestFile.toString());
        out.put("count", items.size());
        if (family.uploadedAsPaths()) {
            List<Object> paths = new ArrayList<>(items.size());
            for (Item it : items) {
                paths.add(it.local().toString());
            }
            out.put("uploaded", paths);
            out.put("uploaded_count", manifest.uploaded());
        } else {
            out.put("uploaded", manifest.uploaded());
        }
        out.put("skipped", skipped);
        out.put("remote_dir", dir);
        return StepResult.success(out);
    }

    private static List<String> uploadSequential(RemoteFiles remote, List<Item> items, List<Integer> todo, Manifest manifest,
            boolean failFast) throws IOException, InterruptedException {
        List<String> errors = new ArrayList<>();
        for (int i : todo) {
            if (Thread.interrupted()) {
                throw new InterruptedException("upload interrupted");
            }
            try {
                upload(remote, items.get(i), i, manifest);
            } catch (ConnectorException e) {
                errors.add(e.getMessage());
                if (failFast) {
                    break;
                }
            }
        }
        return errors;
    }

    private static List<String> uploadParallel(String type, RemoteFiles remote, List<Item> items, List<Integer> todo,
            Manifest manifest, int threads, boolean failFast) throws IOException, InterruptedException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, type + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<String> errors = new ArrayList<>();
        try {
            CompletionService<Integer> cs = new ExecutorCompletionService<>(pool);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i : todo) {
                futures.add(cs.submit(() -> {
                    upload(remote, items.get(i), i, manifest);
                    return i;
                }));
            }
            for (int done = 0; done < futures.size(); done++) {
                Future<Integer> f = cs.take();
                try {
                    f.get();
                } catch (CancellationException e) {
                    continue;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    errors.add(c instanceof ConnectorException ? c.getMessage() : String.valueOf(c));
                    if (failFast) {
                        futures.forEach(x -> x.cancel(false));
                        break;
                    }
                }
            }
            // uploads already running finish (and are recorded) before the step reports
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return errors;
    }

    private static void upload(RemoteFiles remote, Item it, int index, Manifest manifest) throws IOException {
        remote.upload(it.local(), it.remotePath());
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("id", it.id());
        rec.put("file", it.local().toString());
        rec.put("remote_path", it.remotePath());
        manifest.record(index, rec);
        manifest.uploadedOne();
        manifest.persist();
    }

    private static List<Item> items(StepContext ctx, String type, String key, String dir) {
        List<Item> out = new ArrayList<>();
        int i = 0;
        for (Object o : ctx.inputs().list(key)) {
            String file;
            String id = null;
            String remoteName = null;
            if (o instanceof Map<?, ?> m) {
                Object f = m.get("file");
                if (f == null || f.toString().isBlank()) {
                    throw new StepInputException(type + ": inputs." + key + "[" + i + "] needs 'file' (keys: " + m.keySet()
                            + ")");
                }
                file = f.toString();
                id = m.get("id") == null ? null : m.get("id").toString();
                remoteName = m.get("remote_name") == null ? null : m.get("remote_name").toString();
            } else if (o instanceof String s && !s.isBlank()) {
                file = s;
            } else {
                throw new StepInputException(type + ": inputs." + key + "[" + i + "] must be a path or a mapping {file, id,"
                        + " remote_name}, found " + (o == null ? "null" : o.getClass().getSimpleName()));
            }
            Path p = Path.of(file);
            Path local = (p.isAbsolute() ? p : ctx.artifactsDir().resolve(p)).normalize();
            String name = local.getFileName() == null ? file : local.getFileName().toString();
            String target = remoteName == null || remoteName.isBlank() ? name : remoteName;
            out.add(new Item(id == null || id.isBlank() ? name : id, local, Remote.join(dir, target)));
            i++;
        }
        return out;
    }

    private static List<Map<String, Object>> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Object v;
        try {
            v = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("upload manifest " + file + " is not valid JSON (" + e.getMessage()
                    + "): fix or delete it");
        }
        if (!(v instanceof List<?> l)) {
            throw new StepFailedException("upload manifest " + file + " must be a JSON list of records: fix or delete it");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Map<?, ?> m && m.get("id") != null) {
                Map<String, Object> rec = new LinkedHashMap<>();
                m.forEach((k, val) -> rec.put(String.valueOf(k), val));
                out.add(rec);
            }
        }
        return out;
    }

    /** The manifest being rewritten: this run's records in item order, then earlier records of other ids. */
    private static final class Manifest {
        private final Path file;
        private final Set<String> knownIds = new HashSet<>();
        private final List<Map<String, Object>> earlierOthers = new ArrayList<>();
        private final Object[] records;
        private int uploaded;

        Manifest(Path file, List<Map<String, Object>> earlier, List<Item> items) {
            this.file = file;
            this.records = new Object[items.size()];
            Set<String> ids = new HashSet<>();
            for (Item it : items) {
                ids.add(it.id());
            }
            for (Map<String, Object> rec : earlier) {
                String id = rec.get("id").toString();
                knownIds.add(id);
                if (!ids.contains(id)) {
                    earlierOthers.add(rec);
                }
            }
        }

        boolean known(String id) {
            return knownIds.contains(id);
        }

        synchronized void record(int index, Map<String, Object> rec) {
            records[index] = rec;
        }

        synchronized void uploadedOne() {
            uploaded++;
        }

        synchronized int uploaded() {
            return uploaded;
        }

        synchronized void persist() throws IOException {
            List<Object> all = new ArrayList<>();
            for (Object r : records) {
                if (r != null) {
                    all.add(r);
                }
            }
            all.addAll(earlierOthers);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.writePretty(all) + "\n", StandardCharsets.UTF_8);
            FileTrees.moveOver(tmp, file);
        }
    }
}
