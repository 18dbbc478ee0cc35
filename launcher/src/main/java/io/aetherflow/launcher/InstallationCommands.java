package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * The commands that concern the installation itself and run in the launcher, before (and without)
 * the engine: {@code trust add|list|remove} and {@code plugins verify|lock|diff|add|remove}.
 * {@code plugins list} stays in the engine, which knows what each bundle serves.
 *
 * <p>Exit codes: 0 done, 2 usage error, 3 plugin set or trust problem (nothing was changed),
 * 4 the installation could not be written.
 */
public final class InstallationCommands {

    /** The {@code plugins} sub-commands handled here. */
    public static final Set<String> PLUGIN_COMMANDS = Set.of("verify", "lock", "diff", "add", "remove");

    private final Map<String, String> env;
    private final Installation inst;
    private final CacheDirs cache;
    private final PrintStream out;
    private final PrintStream err;
    private final Instant now;

    /** A usage error: exit 2. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param env the process environment
     * @param inst the installation
     * @param cache the cache directories
     * @param out standard output (reports)
     * @param err standard error (errors, framework messages)
     * @param now the time of the checks
     */
    public InstallationCommands(Map<String, String> env, Installation inst, CacheDirs cache, PrintStream out,
            PrintStream err, Instant now) {
        this.env = env;
        this.inst = inst;
        this.cache = cache;
        this.out = out;
        this.err = err;
        this.now = now;
    }

    /**
     * @param args the command line
     * @return true when the launcher handles this command itself
     */
    public static boolean handles(List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        if (args.get(0).equals("trust")) {
            return true;
        }
        return args.get(0).equals("plugins") && args.size() > 1 && PLUGIN_COMMANDS.contains(args.get(1));
    }

    /**
     * Runs one command.
     *
     * @param args the command line ({@code trust ...} or {@code plugins verify|lock|diff|add|remove ...})
     * @return the exit code
     */
    public int run(List<String> args) {
        try {
            if (args.get(0).equals("trust")) {
                return trust(args.subList(1, args.size()));
            }
            List<String> rest = args.subList(2, args.size());
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(help(args.get(1)));
                return 0;
            }
            return switch (args.get(1)) {
                case "verify" -> verify(Options.parse(rest, Set.of("--json"), Set.of()));
                case "lock" -> lock(Options.parse(rest, Set.of(), Set.of()));
                case "diff" -> diff(Options.parse(rest, Set.of("--json"), Set.of()));
                case "add" -> add(Options.parse(rest, Set.of("--keep"), Set.of()));
                default -> remove(Options.parse(rest, Set.of(), Set.of()));
            };
        } catch (UsageException e) {
            err.println("aetherflow: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PluginSetException e) {
            err.println("aetherflow: " + e.getMessage());
            return ExitCodes.PLUGINS;
        } catch (IOException e) {
            err.println("aetherflow: cannot update the installation " + inst.home() + ": " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
    }

    private static String help(String sub) {
        return switch (sub) {
            case "verify" -> "usage: aetherflow plugins verify [--json]\n"
                    + "Checks the whole installation against plugins.lock: every jar present with its sha256, no unlocked\n"
                    + "jar, every plugin's signature read in full and judged by the signing policy, and the set resolves\n"
                    + "in a fresh OSGi framework. Exit 0 when all is well, 3 otherwise.";
            case "lock" -> "usage: aetherflow plugins lock\n"
                    + "Regenerates plugins.lock from bundles/*.jar and the AETHERFLOW_PLUGIN_PATHS directories (signer\n"
                    + "column for signed jars) after checking signatures per policy and that the set resolves; the lock\n"
                    + "is replaced atomically. Exit 3 (lock unchanged) when a jar is refused or the set does not resolve.";
            case "diff" -> "usage: aetherflow plugins diff LOCK_A LOCK_B [--json]\n"
                    + "What changed from LOCK_A to LOCK_B: added, removed, upgraded, downgraded, changed-bytes,\n"
                    + "signer-changed, moved. Exit 0.";
            case "add" -> "usage: aetherflow plugins add JAR... [--keep]\n"
                    + "Adds bundle jars: checks each jar's signature per policy, refuses a symbolic name and version\n"
                    + "already locked with other bytes, resolves the new set in a real framework, and only then copies the\n"
                    + "jars into bundles/ and rewrites plugins.lock atomically. Another version of the same bundle is\n"
                    + "replaced (upgrade or rollback) unless --keep installs it side by side.";
            default -> "usage: aetherflow plugins remove SYMBOLIC-NAME[@VERSION]\n"
                    + "Removes a plugin from plugins.lock (and its jar from bundles/); refused while another bundle\n"
                    + "needs it (the refusal names them) and for bundles of the core distribution.";
        };
    }

    /** Parsed options: flags, valued options and positionals. */
    private record Options(Set<String> flags, Map<String, String> values, List<String> positionals) {
        static Options parse(List<String> args, Set<String> flagNames, Set<String> valueNames) throws UsageException {
            Set<String> flags = new HashSet<>();
            Map<String, String> values = new LinkedHashMap<>();
            List<String> pos = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    String name = eq > 0 ? a.substring(0, eq) : a;
                    if (flagNames.contains(name) && eq < 0) {
                        flags.add(name);
                    } else if (valueNames.contains(name)) {
                        if (eq > 0) {
                            values.put(name, a.substring(eq + 1));
                        } else if (i + 1 < args.size()) {
                            values.put(name, args.get(++i));
                        } else {
                            throw new UsageException(name + " needs a value");
                        }
                    } else {
                        throw new UsageException("unknown option " + a + " (see --help)");
                    }
                } else {
                    pos.add(a);
                }
            }
            return new Options(flags, values, pos);
        }
    }

    // ---------------------------------------------------------------- trust

    private int trust(List<String> args) throws UsageException, PluginSetException, IOException {
        String usage = "usage: aetherflow trust add CERT-FILE [--alias A] | trust list [--json] | trust remove ALIAS";
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            if (args.isEmpty()) {
                throw new UsageException("trust: a sub-command is required: add, list or remove (" + usage + ")");
            }
            out.println(usage + "\nManages the PKCS#12 trust store of plugin vendor certificates ("
                    + TrustStore.location(env, inst.home()) + "; AETHERFLOW_TRUSTSTORE, AETHERFLOW_TRUSTSTORE_PASSWORD).");
            return 0;
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (sub) {
            case "add": {
                Options o = Options.parse(rest, Set.of(), Set.of("--alias"));
                if (o.positionals().size() != 1) {
                    throw new UsageException("trust add: exactly one certificate file is required (" + usage + ")");
                }
                X509Certificate cert = readCertificate(Path.of(o.positionals().get(0)));
                try {
                    cert.checkValidity();
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    throw new PluginSetException("certificate " + o.positionals().get(0) + " ('"
                            + cert.getSubjectX500Principal().getName() + "') is not valid now (valid "
                            + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant()
                            + "); nothing was added");
                }
                TrustStore store = TrustStore.load(env, inst.home());
                String alias = o.values().get("--alias");
                if (alias == null) {
                    alias = defaultAlias(cert, store);
                } else if (!alias.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    throw new UsageException("trust add: alias '" + alias + "' must be letters, digits, '.', '_' or '-'");
                }
                store.add(alias, cert);
                store.save();
                out.println("trusted '" + alias + "': " + cert.getSubjectX500Principal().getName() + ", sha256 "
                        + JarSignatures.colons(JarSignatures.fingerprint(cert)) + ", valid until "
                        + cert.getNotAfter().toInstant() + " (trust store " + store.file() + ")");
                return 0;
            }
            case "list": {
                Options o = Options.parse(rest, Set.of("--json"), Set.of());
                if (!o.positionals().isEmpty()) {
                    throw new UsageException("trust list takes no arguments");
                }
                TrustStore store = TrustStore.load(env, inst.home());
                if (o.flags().contains("--json")) {
                    List<Object> list = new ArrayList<>();
                    for (TrustStore.Entry e : store.entries()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("alias", e.alias());
                        m.put("subject", e.certificate().getSubjectX500Principal().getName());
                        m.put("sha256", e.sha256());
                        m.put("not_before", e.certificate().getNotBefore().toInstant().toString());
                        m.put("not_after", e.certificate().getNotAfter().toInstant().toString());
                        m.put("valid", validNow(e.certificate()));
                        list.add(m);
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("trust_store", store.file().toString());
                    m.put("certificates", list);
                    out.println(Json.write(m));
                    return 0;
                }
                out.println("Trust store: " + store.file() + (Files.exists(store.file()) ? "" : " (does not exist yet)"));
                if (store.entries().isEmpty()) {
                    out.println("no trusted certificates (aetherflow trust add CERT-FILE)");
                    return 0;
                }
                int w = 5;
                for (TrustStore.Entry e : store.entries()) {
                    w = Math.max(w, e.alias().length());
                }
                String row = "%-" + w + "s  %-20s  %-8s  %-64s  %s%n";
                out.printf(row, "ALIAS", "VALID UNTIL", "STATUS", "SHA256", "SUBJECT");
                for (TrustStore.Entry e : store.entries()) {
                    out.printf(row, e.alias(), e.certificate().getNotAfter().toInstant(),
                            validNow(e.certificate()) ? "valid" : "invalid", e.sha256(),
                            e.certificate().getSubjectX500Principal().getName());
                }
                return 0;
            }
            case "remove": {
                Options o = Options.parse(rest, Set.of(), Set.of());
                if (o.positionals().size() != 1) {
                    throw new UsageException("trust remove: exactly one alias is required (" + usage + ")");
                }
                TrustStore store = TrustStore.load(env, inst.home());
                TrustStore.Entry e = store.remove(o.positionals().get(0));
                store.save();
                out.println("removed '" + e.alias() + "' (" + e.certificate().getSubjectX500Principal().getName()
                        + ", sha256 " + e.sha256() + ") from " + store.file()
                        + "; plugins it signed are now untrusted (aetherflow plugins verify)");
                return 0;
            }
            default:
                throw new UsageException("trust: unknown sub-command '" + sub + "' (" + usage + ")");
        }
    }

    private boolean validNow(X509Certificate c) {
        return !now.isBefore(c.getNotBefore().toInstant()) && !now.isAfter(c.getNotAfter().toInstant());
    }

    private static X509Certificate readCertificate(Path file) throws UsageException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UsageException("trust add: cannot read " + file + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new UsageException("trust add: " + file + " is not an X.509 certificate (PEM or DER): " + e.getMessage());
        }
        if (certs.size() != 1 || !(certs.iterator().next() instanceof X509Certificate)) {
            throw new UsageException("trust add: " + file + " holds " + certs.size() + " certificates; give one"
                    + " certificate per file (the vendor's signing certificate or its CA)");
        }
        return (X509Certificate) certs.iterator().next();
    }

    private static String defaultAlias(X509Certificate cert, TrustStore store) {
        String dn = cert.getSubjectX500Principal().getName();
        String base = "vendor";
        for (String part : dn.split(",")) {
            if (part.strip().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                base = part.strip().substring(3);
                break;
            }
        }
        base = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "vendor";
        }
        String alias = base;
        Set<String> taken = new HashSet<>();
        for (TrustStore.Entry e : store.entries()) {
            taken.add(e.alias().toLowerCase(Locale.ROOT));
        }
        for (int i = 2; taken.contains(alias); i++) {
            alias = base + "-" + i;
        }
        return alias;
    }

    // ---------------------------------------------------------------- plugins verify

    private List<Path> pluginPaths() throws PluginSetException {
        List<String> warnings = new ArrayList<>();
        List<Path> paths = LockVerifier.existingPluginPaths(TrustPolicy.load(env, inst.home())
                .pluginPaths(env.get("AETHERFLOW_PLUGIN_PATHS"), warnings), env, warnings);
        warnings.forEach(w -> err.println("aetherflow: warning: " + w));
        return paths;
    }

    private TrustCheck freshCheck() throws PluginSetException {
        return new TrustCheck(env, inst.home(), TrustPolicy.load(env, inst.home()), JarHashes.uncached(), null, now);
    }

    private int verify(Options o) throws UsageException, PluginSetException, IOException {
        if (!o.positionals().isEmpty()) {
            throw new UsageException("plugins verify takes no arguments");
        }
        boolean json = o.flags().contains("--json");
        PluginLock lock = PluginLock.read(inst.lockFile());
        VerifiedPluginSet set;
        try {
            set = LockVerifier.verify(inst.home(), lock, pluginPaths(), JarHashes.uncached());
        } catch (PluginSetException e) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", false);
                m.put("lock_file", lock.file().toString());
                m.put("plugin_set_hash", lock.sha256());
                m.put("errors", List.of(e.getMessage()));
                out.println(Json.write(m));
            }
            throw e;
        }
        TrustCheck check = freshCheck();
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
            resolve(set.bundles().stream().map(VerifiedBundle::entry).toList(),
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
            out.println(Json.write(m));
        } else {
            int w = 6;
            int vw = 7;
            for (VerifiedBundle vb : set.bundles()) {
                w = Math.max(w, vb.entry().symbolicName().length());
                vw = Math.max(vw, vb.entry().version().length());
            }
            String row = "%-" + w + "s  %-" + vw + "s  %-13s  %s%n";
            out.printf(row, "BUNDLE", "VERSION", "VERDICT", "SIGNER");
            for (int i = 0; i < set.bundles().size(); i++) {
                TrustVerdict v = verdicts.get(i);
                LockedBundle b = set.bundles().get(i).entry();
                out.printf(row, b.symbolicName(), b.version(), v.status().label(),
                        v.signerSubject() == null ? "-" : v.signerSubject() + " (sha256 " + v.signerSha256().substring(0, 16) + "...)");
            }
            out.println();
            out.println("mode " + check.policy().mode() + ", trust store " + check.trustStoreFile());
            for (String warning : set.warnings()) {
                err.println("aetherflow: warning: " + warning);
            }
            if (errors.isEmpty()) {
                out.println("verified: " + set.bundles().size() + " bundles match " + lock.file() + " (sha256:"
                        + lock.sha256() + "), signatures pass the policy, the set resolves");
            }
        }
        if (!errors.isEmpty()) {
            for (String e : errors) {
                err.println("aetherflow: " + e);
            }
            err.println("aetherflow: plugins verify: " + errors.size() + " problem" + (errors.size() == 1 ? "" : "s"));
            return ExitCodes.PLUGINS;
        }
        return 0;
    }

    // ---------------------------------------------------------------- resolve in a real framework

    /** What to look at in the resolved framework before it stops. */
    private interface Inspection<R> {
        R inspect(List<Bundle> bundles) throws PluginSetException;
    }

    private <R> R resolve(List<LockedBundle> entries, List<Path> files, Inspection<R> inspection)
            throws PluginSetException, IOException {
        List<VerifiedBundle> vbs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            vbs.add(new VerifiedBundle(entries.get(i), files.get(i)));
        }
        VerifiedPluginSet set = new VerifiedPluginSet(new PluginLock(inst.lockFile(), PluginLock.setHash(entries), entries), vbs,
                List.of());
        Path storage = Files.createTempDirectory("aetherflow-resolve-");
        try (PluginHost host = PluginHost.boot(storage, true, err)) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            return inspection.inspect(bundles);
        } catch (BundleException e) {
            throw new IOException("the OSGi framework did not start: " + e.getMessage(), e);
        } finally {
            FrameworkStorage.deleteTree(storage);
        }
    }

    // ---------------------------------------------------------------- plugins lock

    private int lock(Options o) throws UsageException, PluginSetException, IOException {
        if (!o.positionals().isEmpty()) {
            throw new UsageException("plugins lock takes no arguments (it reads bundles/ and AETHERFLOW_PLUGIN_PATHS)");
        }
        try (AdminLock l = AdminLock.acquire(inst.home())) {
            List<LockedBundle> scanned = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (Path jar : jars(inst.bundlesDir())) {
                scanned.add(LockTool.describe(jar, "bundles/" + jar.getFileName()));
                files.add(jar);
            }
            Set<String> names = new HashSet<>();
            for (Path dir : pluginPaths()) {
                for (Path jar : jars(dir)) {
                    String name = jar.getFileName().toString();
                    if (!names.add(name)) {
                        err.println("aetherflow: warning: " + jar + " is shadowed by an earlier AETHERFLOW_PLUGIN_PATHS"
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
            TrustCheck check = freshCheck();
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
                resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException(e.getMessage() + "; plugins.lock was not changed", e);
            }
            PluginLock old = null;
            try {
                old = PluginLock.read(inst.lockFile());
            } catch (PluginSetException e) {
                // no lock or a broken one: regenerating it is the point; nothing to compare with
            }
            String content = PluginLock.format(entries, "aetherflow " + inst.version() + " plugins lock");
            LockTool.writeAtomically(inst.lockFile(), content);
            PluginLock now = PluginLock.read(inst.lockFile());
            if (old != null) {
                List<LockDiff.Change> changes = LockDiff.diff(old, now);
                if (!changes.isEmpty()) {
                    out.print(LockDiff.text(changes));
                }
            }
            out.println("wrote " + inst.lockFile() + " (" + entries.size() + " bundles, plugin set sha256:" + now.sha256()
                    + "); the set resolves");
            return 0;
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        }
        out.sort(null);
        return out;
    }

    // ---------------------------------------------------------------- plugins diff

    private int diff(Options o) throws UsageException, PluginSetException {
        if (o.positionals().size() != 2) {
            throw new UsageException("plugins diff: two lock files are required (usage: aetherflow plugins diff LOCK_A"
                    + " LOCK_B [--json])");
        }
        PluginLock a = PluginLock.read(Path.of(o.positionals().get(0)));
        PluginLock b = PluginLock.read(Path.of(o.positionals().get(1)));
        List<LockDiff.Change> changes = LockDiff.diff(a, b);
        if (o.flags().contains("--json")) {
            out.println(Json.write(LockDiff.json(a, b, changes)));
        } else {
            out.print(LockDiff.text(changes));
        }
        return 0;
    }

    // ---------------------------------------------------------------- plugins add

    private VerifiedPluginSet currentSet(PluginLock lock) throws PluginSetException {
        try {
            return LockVerifier.verify(inst.home(), lock, pluginPaths(), JarHashes.uncached());
        } catch (PluginSetException e) {
            throw new PluginSetException("the installation does not match its lock, so nothing was changed: "
                    + e.getMessage() + " (for a jar copied into bundles/ by hand: review it and run aetherflow plugins"
                    + " lock, or move it out and plugins add it)", e);
        }
    }

    private record Copy(Path source, Path target) {
    }

    private int add(Options o) throws UsageException, PluginSetException, IOException {
        if (o.positionals().isEmpty()) {
            throw new UsageException("plugins add: at least one jar is required (usage: aetherflow plugins add JAR..."
                    + " [--keep])");
        }
        boolean keep = o.flags().contains("--keep");
        try (AdminLock l = AdminLock.acquire(inst.home())) {
            PluginLock lock = PluginLock.read(inst.lockFile());
            VerifiedPluginSet current = currentSet(lock);
            TrustCheck check = freshCheck();
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
            for (String arg : o.positionals()) {
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
                Path target = inst.bundlesDir().resolve(src.getFileName().toString());
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
                report.forEach(out::println);
                out.println("nothing to change; " + inst.lockFile() + " is unchanged");
                return 0;
            }
            try {
                resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException(e.getMessage() + "; nothing was changed"
                        + (replaced.isEmpty() ? "" : " (to install the new version beside the old one, use --keep)"), e);
            }
            String content = PluginLock.format(entries, "aetherflow " + inst.version() + " plugins add");
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
            PluginLock written = PluginLock.read(inst.lockFile());
            report.forEach(out::println);
            out.println("wrote " + inst.lockFile() + " (" + entries.size() + " bundles, plugin set sha256:"
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
        Files.createDirectories(inst.bundlesDir());
        List<Path> temps = new ArrayList<>();
        Path lockTmp = null;
        try {
            for (Copy c : copies) {
                Path tmp = Files.createTempFile(inst.bundlesDir(), "." + c.target().getFileName() + ".", ".tmp");
                temps.add(tmp);
                if (!c.source().equals(c.target())) {
                    Files.copy(c.source(), tmp, StandardCopyOption.REPLACE_EXISTING);
                    setReadable(tmp);
                }
            }
            lockTmp = Files.createTempFile(inst.home(), PluginLock.FILE_NAME + ".", ".tmp");
            Files.writeString(lockTmp, lockContent, StandardCharsets.UTF_8);
            setReadable(lockTmp);
            for (int i = 0; i < copies.size(); i++) {
                Copy c = copies.get(i);
                if (!c.source().equals(c.target())) {
                    Files.move(temps.get(i), c.target(), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(lockTmp, inst.lockFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    // ---------------------------------------------------------------- plugins remove

    private int remove(Options o) throws UsageException, PluginSetException, IOException {
        if (o.positionals().size() != 1) {
            throw new UsageException("plugins remove: one SYMBOLIC-NAME[@VERSION] is required");
        }
        String spec = o.positionals().get(0);
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
        try (AdminLock l = AdminLock.acquire(inst.home())) {
            PluginLock lock = PluginLock.read(inst.lockFile());
            VerifiedPluginSet current = currentSet(lock);
            List<Integer> matches = new ArrayList<>();
            for (int i = 0; i < lock.bundles().size(); i++) {
                LockedBundle b = lock.bundles().get(i);
                if (b.symbolicName().equals(bsn) && (version == null || b.version().equals(version))) {
                    matches.add(i);
                }
            }
            if (matches.isEmpty()) {
                throw new UsageException("plugins remove: " + spec + " is not in " + inst.lockFile()
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
            TrustPolicy policy = TrustPolicy.load(env, inst.home());
            if (policy.isCore(target)) {
                throw new PluginSetException("bundle " + label + " refused: it is part of the core distribution ("
                        + inst.home().resolve("conf").resolve(TrustPolicy.CORE_FILE) + "); nothing was changed");
            }
            List<LockedBundle> entries = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (VerifiedBundle vb : current.bundles()) {
                entries.add(vb.entry());
                files.add(vb.file());
            }
            Map<String, List<String>> needers;
            try {
                needers = resolve(entries, files, bundles -> PluginHost.dependents(bundles.get(idx)));
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
                resolve(entries, files, bundles -> null);
            } catch (PluginSetException e) {
                throw new PluginSetException("bundle " + label + " refused: without it " + e.getMessage()
                        + "; nothing was changed", e);
            }
            String content = PluginLock.format(entries, "aetherflow " + inst.version() + " plugins remove");
            boolean inBundles = !target.fileName().startsWith(PluginLock.PLUGIN_PATH_PREFIX);
            apply(List.of(), content, inBundles ? List.of(jar) : List.of());
            PluginLock written = PluginLock.read(inst.lockFile());
            out.println("removed " + label + " (" + target.fileName() + (inBundles ? ", jar deleted" : ", jar left in"
                    + " its plugin path") + ")");
            out.println("wrote " + inst.lockFile() + " (" + entries.size() + " bundles, plugin set sha256:"
                    + written.sha256() + ")");
            return 0;
        }
    }

    /** Serialises the commands that change an installation ({@code <home>/.plugins-admin.lock}). */
    private static final class AdminLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private AdminLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static AdminLock acquire(Path home) throws IOException, PluginSetException {
            FileChannel ch = FileChannel.open(home.resolve(".plugins-admin.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (l == null) {
                ch.close();
                throw new PluginSetException("another aetherflow plugins add/remove/lock is changing " + home
                        + "; try again when it has finished");
            }
            return new AdminLock(ch, l);
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
