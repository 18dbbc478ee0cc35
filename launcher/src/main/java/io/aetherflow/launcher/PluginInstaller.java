package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes the installed plugin set: {@code plugins add} and {@code plugins remove}. Each checks the
 * current set against its lock, checks signatures per policy, resolves the new set in a real framework,
 * and only then copies jars and rewrites {@code plugins.lock} atomically, under {@link AdminLock};
 * {@code ctx} is the command's environment, installation, output and clock, {@code checks} the shared checks.
 */
record PluginInstaller(CommandContext ctx, PluginSetChecks checks) {

    private record Copy(Path source, Path target) {
    }

    /**
     * {@code plugins add JAR... [--keep]}.
     *
     * @param jars the jar files, as given
     * @param keep true to install another version beside the locked one instead of replacing it
     * @return the exit code
     * @throws UsageException when a jar is not a file
     * @throws PluginSetException when a jar is refused or the new set does not resolve (nothing changed)
     * @throws IOException when the installation cannot be written
     */
    int add(List<String> jars, boolean keep) throws UsageException, PluginSetException, IOException {
        try (AdminLock l = AdminLock.acquire(ctx.inst().home())) {
            PluginLock lock = PluginLock.read(ctx.inst().lockFile());
            VerifiedPluginSet current = checks.currentSet(lock);
            TrustCheck check = checks.freshCheck();
            List<LockedBundle> entries = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (VerifiedBundle vb : current.bundles()) {
                entries.add(vb.entry());
                files.add(vb.file());
            }
            List<LockedBundle> replaced = new ArrayList<>();
            List<Path> replacedFiles = new ArrayList<>();
            List<Copy> copies = new ArrayList<>();
            List<String> report = new ArrayList<>();
            for (String arg : jars) {
                Path src = Path.of(arg).toAbsolutePath().normalize();
                if (!Files.isRegularFile(src)) {
                    throw new UsageException("plugins add: " + arg + " is not a file");
                }
                LockedBundle d = LockTool.describe(src, "bundles/" + src.getFileName());
                String label = d.symbolicName() + " " + d.version();
                int same = indexOf(entries, d.symbolicName(), d.version());
                if (same >= 0) {
                    LockedBundle existing = entries.get(same);
                    if (existing.sha256().equals(d.sha256())) {
                        report.add("already locked: " + label + " (" + existing.fileName() + ")");
                        continue;
                    }
                    throw new PluginSetException("bundle " + label + " from " + src + " refused: " + label
                            + " is already locked with other bytes (sha256 " + existing.sha256() + ", " + existing.fileName()
                            + "; this jar has " + d.sha256() + "); one version must always mean one jar: ask the vendor for"
                            + " a new Bundle-Version; nothing was changed");
                }
                TrustVerdict v = check.verdict(d, src);
                LockedBundle entry = new LockedBundle(d.symbolicName(), d.version(), d.sha256(), d.fileName(),
                        v.signed() ? v.signerSha256() : null);
                String r = check.refusal(entry, v);
                if (r != null) {
                    throw new PluginSetException(r.replace("(" + d.fileName() + ")", "(" + src + ")")
                            + "; nothing was changed");
                }
                if (!keep) {
                    for (int i = entries.size() - 1; i >= 0; i--) {
                        if (entries.get(i).symbolicName().equals(d.symbolicName())) {
                            replaced.add(entries.remove(i));
                            replacedFiles.add(files.remove(i));
                        }
                    }
                }
                Path target = ctx.inst().bundlesDir().resolve(src.getFileName().toString());
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i).fileName().equals(d.fileName())) {
                        throw new PluginSetException("bundle " + label + " from " + src + " refused: " + d.fileName()
                                + " already holds " + entries.get(i).symbolicName() + " " + entries.get(i).version()
                                + "; rename the jar; nothing was changed");
                    }
                }
                if (Files.exists(target) && !target.equals(src) && !replacedFiles.contains(target)
                        && !Sha256.ofFile(target).equals(d.sha256())) {
                    throw new PluginSetException("bundle " + label + " from " + src + " refused: " + target
                            + " exists, is not in the lock and holds other bytes; remove it; nothing was changed");
                }
                entries.add(entry);
                files.add(src);
                copies.add(new Copy(src, target));
                report.add("added " + label + " (" + entry.fileName() + ", " + v.status().label()
                        + (v.signerSubject() == null ? "" : ", signed by '" + v.signerSubject() + "'") + ")");
            }
            for (LockedBundle r : replaced) {
                report.add((keep ? "kept " : "replaced ") + r.symbolicName() + " " + r.version() + " (" + r.fileName() + ")");
            }
            if (copies.isEmpty()) {
                report.forEach(ctx.out()::println);
                ctx.out().println("nothing to change; " + ctx.inst().lockFile() + " is unchanged");
                return 0;
            }
            try {
                checks.resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException(e.getMessage() + "; nothing was changed"
                        + (replaced.isEmpty() ? "" : " (to install the new version beside the old one, use --keep)"), e);
            }
            String content = PluginLock.format(entries, "aetherflow " + ctx.inst().version() + " plugins add");
            Set<Path> targets = new HashSet<>();
            for (Copy c : copies) {
                targets.add(c.target());
            }
            List<Path> obsolete = new ArrayList<>();
            for (int i = 0; i < replaced.size(); i++) {
                Path f = replacedFiles.get(i);
                if (!replaced.get(i).fileName().startsWith(PluginLock.PLUGIN_PATH_PREFIX) && !targets.contains(f)) {
                    obsolete.add(f);
                }
            }
            apply(copies, content, obsolete);
            PluginLock written = PluginLock.read(ctx.inst().lockFile());
            report.forEach(ctx.out()::println);
            ctx.out().println("wrote " + ctx.inst().lockFile() + " (" + entries.size() + " bundles, plugin set sha256:"
                    + written.sha256() + ")");
            return 0;
        }
    }

    private static int indexOf(List<LockedBundle> entries, String bsn, String version) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).symbolicName().equals(bsn) && entries.get(i).version().equals(version)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Copies jars in under temporary names (not {@code *.jar}, so a concurrent launch does not see
     * them), writes the new lock to a temporary file, then renames the jars and the lock into place
     * and deletes jars no longer locked.
     */
    private void apply(List<Copy> copies, String lockContent, List<Path> obsolete) throws IOException {
        Files.createDirectories(ctx.inst().bundlesDir());
        List<Path> temps = new ArrayList<>();
        Path lockTmp = null;
        try {
            for (Copy c : copies) {
                Path tmp = Files.createTempFile(ctx.inst().bundlesDir(), "." + c.target().getFileName() + ".", ".tmp");
                temps.add(tmp);
                if (!c.source().equals(c.target())) {
                    Files.copy(c.source(), tmp, StandardCopyOption.REPLACE_EXISTING);
                    setReadable(tmp);
                }
            }
            lockTmp = Files.createTempFile(ctx.inst().home(), PluginLock.FILE_NAME + ".", ".tmp");
            Files.writeString(lockTmp, lockContent, StandardCharsets.UTF_8);
            setReadable(lockTmp);
            for (int i = 0; i < copies.size(); i++) {
                Copy c = copies.get(i);
                if (!c.source().equals(c.target())) {
                    Files.move(temps.get(i), c.target(), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(lockTmp, ctx.inst().lockFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (Path f : obsolete) {
                Files.deleteIfExists(f);
            }
        } finally {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
            if (lockTmp != null) {
                Files.deleteIfExists(lockTmp);
            }
        }
    }

    private static void setReadable(Path p) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * {@code plugins remove SYMBOLIC-NAME[@VERSION]}.
     *
     * @param spec the bundle, optionally with its version
     * @return the exit code
     * @throws UsageException when the spec names no locked bundle, or several
     * @throws PluginSetException when the bundle is core or needed by another (nothing changed)
     * @throws IOException when the installation cannot be written
     */
    int remove(String spec) throws UsageException, PluginSetException, IOException {
        int at = spec.indexOf('@');
        String bsn = at >= 0 ? spec.substring(0, at) : spec;
        String version = null;
        if (at >= 0) {
            try {
                version = org.osgi.framework.Version.parseVersion(spec.substring(at + 1)).toString();
            } catch (IllegalArgumentException e) {
                throw new UsageException("plugins remove: '" + spec.substring(at + 1) + "' is not a version");
            }
        }
        try (AdminLock l = AdminLock.acquire(ctx.inst().home())) {
            PluginLock lock = PluginLock.read(ctx.inst().lockFile());
            VerifiedPluginSet current = checks.currentSet(lock);
            List<Integer> matches = new ArrayList<>();
            for (int i = 0; i < lock.bundles().size(); i++) {
                LockedBundle b = lock.bundles().get(i);
                if (b.symbolicName().equals(bsn) && (version == null || b.version().equals(version))) {
                    matches.add(i);
                }
            }
            if (matches.isEmpty()) {
                throw new UsageException("plugins remove: " + spec + " is not in " + ctx.inst().lockFile()
                        + " (aetherflow plugins list shows the bundles)");
            }
            if (matches.size() > 1) {
                List<String> versions = new ArrayList<>();
                for (int i : matches) {
                    versions.add(bsn + "@" + lock.bundles().get(i).version());
                }
                throw new UsageException("plugins remove: " + bsn + " is locked in " + matches.size()
                        + " versions; say which: " + String.join(", ", versions));
            }
            int idx = matches.get(0);
            LockedBundle target = lock.bundles().get(idx);
            String label = target.symbolicName() + " " + target.version();
            TrustPolicy policy = TrustPolicy.load(ctx.env(), ctx.inst().home());
            if (policy.isCore(target)) {
                throw new PluginSetException("bundle " + label + " refused: it is part of the core distribution ("
                        + ctx.inst().home().resolve("conf").resolve(TrustPolicy.CORE_FILE) + "); nothing was changed");
            }
            List<LockedBundle> entries = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (VerifiedBundle vb : current.bundles()) {
                entries.add(vb.entry());
                files.add(vb.file());
            }
            Map<String, List<String>> needers;
            try {
                needers = checks.resolve(entries, files, bundles -> PluginHost.dependents(bundles.get(idx)));
            } catch (PluginSetException e) {
                needers = Map.of(); // the current set does not resolve: the check of the remaining set decides
            }
            if (!needers.isEmpty()) {
                List<String> who = new ArrayList<>();
                needers.forEach((k, v) -> who.add(k + " (" + String.join(", ", v) + ")"));
                throw new PluginSetException("bundle " + label + " refused: it is needed by " + String.join("; ", who)
                        + "; remove or replace those first; nothing was changed");
            }
            Path jar = files.remove(idx);
            entries.remove(idx);
            try {
                checks.resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException("bundle " + label + " refused: without it " + e.getMessage()
                        + "; nothing was changed", e);
            }
            String content = PluginLock.format(entries, "aetherflow " + ctx.inst().version() + " plugins remove");
            boolean inBundles = !target.fileName().startsWith(PluginLock.PLUGIN_PATH_PREFIX);
            apply(List.of(), content, inBundles ? List.of(jar) : List.of());
            PluginLock written = PluginLock.read(ctx.inst().lockFile());
            ctx.out().println("removed " + label + " (" + target.fileName() + (inBundles ? ", jar deleted" : ", jar left in"
                    + " its plugin path") + ")");
            ctx.out().println("wrote " + ctx.inst().lockFile() + " (" + entries.size() + " bundles, plugin set sha256:"
                    + written.sha256() + ")");
            return 0;
        }
    }
}
