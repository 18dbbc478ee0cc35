package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launcher.support.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands that check or regenerate the plugin set as a whole: {@code plugins verify}, {@code plugins
 * lock} and {@code plugins diff}. Arguments arrive parsed and typed; {@code ctx} is the command's
 * installation and output, {@code checks} the shared checks.
 */
record PluginSetCommands(CommandContext ctx, PluginSetChecks checks) {

    /**
     * {@code plugins verify [--json]}.
     *
     * @param json true for JSON output
     * @return 0 when all is well, 3 otherwise
     * @throws PluginSetException when the lock cannot be read or does not match the installation
     * @throws IOException when a resolve framework cannot be started
     */
    int verify(boolean json) throws PluginSetException, IOException {
        PluginLock lock = PluginLock.read(ctx.inst().lockFile());
        VerifiedPluginSet set;
        try {
            set = LockVerifier.verify(ctx.inst().home(), lock, checks.pluginPaths(), JarHashes.uncached());
        } catch (PluginSetException e) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", false);
                m.put("lock_file", lock.file().toString());
                m.put("plugin_set_hash", lock.sha256());
                m.put("errors", List.of(e.getMessage()));
                ctx.out().println(Json.writeSpaced(m));
            }
            throw e;
        }
        TrustCheck check = checks.freshCheck();
        List<String> errors = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        List<TrustVerdict> verdicts = new ArrayList<>();
        for (VerifiedBundle vb : set.bundles()) {
            TrustVerdict v = check.verdict(vb.entry(), vb.file());
            verdicts.add(v);
            String r = check.refusal(vb.entry(), v);
            if (r != null) {
                errors.add(r);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbolic_name", vb.entry().symbolicName());
            m.put("version", vb.entry().version());
            m.put("path", vb.entry().fileName());
            m.put("sha256", vb.entry().sha256());
            m.put("verdict", v.status().label());
            m.put("signer_sha256", v.signerSha256());
            m.put("signer_subject", v.signerSubject());
            m.put("detail", v.detail());
            m.put("refused", r);
            rows.add(m);
        }
        boolean resolves = false;
        try {
            checks.resolve(set.bundles().stream().map(VerifiedBundle::entry).toList(),
                    set.bundles().stream().map(VerifiedBundle::file).toList(), bundles -> null);
            resolves = true;
        } catch (PluginSetException e) {
            errors.add(e.getMessage());
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", errors.isEmpty());
            m.put("lock_file", lock.file().toString());
            m.put("plugin_set_hash", lock.sha256());
            m.put("mode", check.policy().mode());
            m.put("trust_store", check.trustStoreFile().toString());
            m.put("resolves", resolves);
            m.put("bundles", rows);
            m.put("warnings", set.warnings());
            m.put("errors", errors);
            ctx.out().println(Json.writeSpaced(m));
        } else {
            int w = 6;
            int vw = 7;
            for (VerifiedBundle vb : set.bundles()) {
                w = Math.max(w, vb.entry().symbolicName().length());
                vw = Math.max(vw, vb.entry().version().length());
            }
            String row = "%-" + w + "s  %-" + vw + "s  %-13s  %s%n";
            ctx.out().printf(row, "BUNDLE", "VERSION", "VERDICT", "SIGNER");
            for (int i = 0; i < set.bundles().size(); i++) {
                TrustVerdict v = verdicts.get(i);
                LockedBundle b = set.bundles().get(i).entry();
                ctx.out().printf(row, b.symbolicName(), b.version(), v.status().label(),
                        v.signerSubject() == null ? "-" : v.signerSubject() + " (sha256 " + v.signerSha256().substring(0, 16) + "...)");
            }
            ctx.out().println();
            ctx.out().println("mode " + check.policy().mode() + ", trust store " + check.trustStoreFile());
            for (String warning : set.warnings()) {
                ctx.err().println("aetherflow: warning: " + warning);
            }
            if (errors.isEmpty()) {
                ctx.out().println("verified: " + set.bundles().size() + " bundles match " + lock.file() + " (sha256:"
                        + lock.sha256() + "), signatures pass the policy, the set resolves");
            }
        }
        if (!errors.isEmpty()) {
            for (String e : errors) {
                ctx.err().println("aetherflow: " + e);
            }
            ctx.err().println("aetherflow: plugins verify: " + errors.size() + " problem" + (errors.size() == 1 ? "" : "s"));
            return ExitCodes.PLUGINS;
        }
        return 0;
    }

    /**
     * {@code plugins lock}: regenerates the lock from {@code bundles/} and the plugin paths.
     *
     * @return the exit code
     * @throws PluginSetException when a jar is refused or the set does not resolve (lock unchanged)
     * @throws IOException when the lock cannot be written
     */
    int lock() throws PluginSetException, IOException {
        try (AdminLock l = AdminLock.acquire(ctx.inst().home())) {
            List<LockedBundle> scanned = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (Path jar : LockVerifier.jarsIn(ctx.inst().bundlesDir())) {
                scanned.add(LockTool.describe(jar, "bundles/" + jar.getFileName()));
                files.add(jar);
            }
            Set<String> names = new HashSet<>();
            for (Path dir : checks.pluginPaths()) {
                for (Path jar : LockVerifier.jarsIn(dir)) {
                    String name = jar.getFileName().toString();
                    if (!names.add(name)) {
                        ctx.err().println("aetherflow: warning: " + jar + " is shadowed by an earlier AETHERFLOW_PLUGIN_PATHS"
                                + " directory's " + name + "; not locked");
                        continue;
                    }
                    scanned.add(LockTool.describe(jar, PluginLock.PLUGIN_PATH_PREFIX + name));
                    files.add(jar);
                }
            }
            Set<String> ids = new HashSet<>();
            for (LockedBundle b : scanned) {
                if (!ids.add(b.symbolicName() + " " + b.version())) {
                    throw new PluginSetException("two jars are bundle " + b.symbolicName() + " " + b.version()
                            + " (one is " + b.fileName() + "); keep one of them; plugins.lock was not changed");
                }
            }
            TrustCheck check = checks.freshCheck();
            List<LockedBundle> entries = new ArrayList<>();
            for (int i = 0; i < scanned.size(); i++) {
                LockedBundle b = scanned.get(i);
                TrustVerdict v = check.verdict(b, files.get(i));
                LockedBundle e = new LockedBundle(b.symbolicName(), b.version(), b.sha256(), b.fileName(),
                        v.signed() ? v.signerSha256() : null);
                String r = check.refusal(e, v);
                if (r != null) {
                    throw new PluginSetException(r + "; plugins.lock was not changed");
                }
                entries.add(e);
            }
            try {
                checks.resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException(e.getMessage() + "; plugins.lock was not changed", e);
            }
            PluginLock old = null;
            try {
                old = PluginLock.read(ctx.inst().lockFile());
            } catch (PluginSetException e) {
                // no lock or a broken one: regenerating it is the point; nothing to compare with
            }
            String content = PluginLock.format(entries, "aetherflow " + ctx.inst().version() + " plugins lock");
            LockTool.writeAtomically(ctx.inst().lockFile(), content);
            PluginLock now = PluginLock.read(ctx.inst().lockFile());
            if (old != null) {
                List<LockDiff.Change> changes = LockDiff.diff(old, now);
                if (!changes.isEmpty()) {
                    ctx.out().print(LockDiff.text(changes));
                }
            }
            ctx.out().println("wrote " + ctx.inst().lockFile() + " (" + entries.size() + " bundles, plugin set sha256:" + now.sha256()
                    + "); the set resolves");
            return 0;
        }
    }

    /**
     * {@code plugins diff LOCK_A LOCK_B [--json]}.
     *
     * @param lockA the old lock file
     * @param lockB the new lock file
     * @param json true for JSON output
     * @return the exit code
     * @throws PluginSetException when a lock cannot be read
     */
    int diff(String lockA, String lockB, boolean json) throws PluginSetException {
        PluginLock a = PluginLock.read(Path.of(lockA));
        PluginLock b = PluginLock.read(Path.of(lockB));
        List<LockDiff.Change> changes = LockDiff.diff(a, b);
        if (json) {
            ctx.out().println(Json.writeSpaced(LockDiff.json(a, b, changes)));
        } else {
            ctx.out().print(LockDiff.text(changes));
        }
        return 0;
    }
}
