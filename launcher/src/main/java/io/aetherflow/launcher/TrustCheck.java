package io.aetherflow.launcher;

import io.aetherflow.launch.TrustStatus;
import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signature verdicts for a verified plugin set, and the policy applied to them (before anything is
 * installed). Core bundles are not signature-checked. Verdicts are cached by the jar's sha256 and
 * the trust store's sha256 in {@code <cache>/trust/<home-key>.txt}, so a warm start re-reads no jar
 * and does not even open the trust store; a cached trusted verdict keeps its certificates' validity
 * window and is re-evaluated against the clock on every start, so expiry is never missed.
 */
public final class TrustCheck {

    private record Cached(String key, TrustVerdict verdict) {
    }

    private final Map<String, String> env;
    private final Path home;
    private final TrustPolicy policy;
    private final JarHashes hashes;
    private final Path cacheFile;
    private final Instant now;
    private final Map<String, TrustVerdict> remembered = new HashMap<>();
    private final Map<String, TrustVerdict> used = new LinkedHashMap<>();
    private boolean changed;
    private TrustStore store;
    private String storeKey;

    /**
     * @param env the process environment (trust store location and password)
     * @param home the installation directory
     * @param policy the policy
     * @param hashes file digests (the trust store's digest is taken from them)
     * @param cacheFile where verdicts are remembered, or null for no cache
     * @param now the time of the check
     */
    public TrustCheck(Map<String, String> env, Path home, TrustPolicy policy, JarHashes hashes, Path cacheFile,
            Instant now) {
        this.env = env;
        this.home = home;
        this.policy = policy;
        this.hashes = hashes;
        this.cacheFile = cacheFile;
        this.now = now;
        if (cacheFile != null) {
            load();
        }
    }

    /** @return the policy */
    public TrustPolicy policy() {
        return policy;
    }

    /** @return the trust store file in use */
    public Path trustStoreFile() {
        return TrustStore.location(env, home);
    }

    /**
     * @return the trust store (loaded on first use)
     * @throws PluginSetException when it cannot be opened
     */
    public TrustStore store() throws PluginSetException {
        if (store == null) {
            store = TrustStore.load(env, home);
        }
        return store;
    }

    private String storeKey() throws PluginSetException {
        if (storeKey == null) {
            Path f = trustStoreFile();
            try {
                storeKey = hashes.read(f).sha256();
            } catch (NoSuchFileException e) {
                storeKey = "none";
            } catch (IOException e) {
                throw new PluginSetException("cannot read trust store " + f + ": " + e.getMessage(), e);
            }
        }
        return storeKey;
    }

    /**
     * @param b a lock entry
     * @param jar its jar (already matched against the entry's sha256)
     * @return its verdict ({@link TrustStatus#CORE} for core bundles)
     * @throws PluginSetException when the jar or the trust store cannot be read
     */
    public TrustVerdict verdict(LockedBundle b, Path jar) throws PluginSetException {
        if (policy.isCore(b)) {
            return TrustVerdict.core();
        }
        String key = b.sha256() + " " + storeKey();
        TrustVerdict v = remembered.get(key);
        if (v == null) {
            try {
                v = JarSignatures.verify(jar, store(), now);
            } catch (IOException e) {
                throw new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + " (" + b.fileName()
                        + "): cannot read " + jar + " to check its signature: " + e.getMessage(), e);
            }
            changed = true;
        }
        v = v.at(now);
        used.put(key, v);
        return v;
    }

    /**
     * Verdicts of every bundle of a set, in set order.
     *
     * @param set the set
     * @return the verdicts
     * @throws PluginSetException when a jar or the trust store cannot be read
     */
    public List<TrustVerdict> verdicts(VerifiedPluginSet set) throws PluginSetException {
        List<TrustVerdict> out = new ArrayList<>();
        for (VerifiedBundle vb : set.bundles()) {
            out.add(verdict(vb.entry(), vb.file()));
        }
        return out;
    }

    /**
     * @param b a lock entry
     * @param v its verdict
     * @return the refusal line ({@code bundle NAME VERSION (PATH) refused: why; what to do}), or null
     */
    public String refusal(LockedBundle b, TrustVerdict v) {
        String why = policy.refusal(b, v, trustStoreFile());
        return why == null ? null : "bundle " + b.symbolicName() + " " + b.version() + " (" + b.fileName() + ") refused: "
                + why;
    }

    /**
     * Checks every bundle of a set and throws on the first one the policy refuses.
     *
     * @param set the set
     * @return the verdicts, in set order
     * @throws PluginSetException naming the first refused bundle and why
     */
    public List<TrustVerdict> enforce(VerifiedPluginSet set) throws PluginSetException {
        List<TrustVerdict> verdicts = verdicts(set);
        for (int i = 0; i < verdicts.size(); i++) {
            String r = refusal(set.bundles().get(i).entry(), verdicts.get(i));
            if (r != null) {
                save();
                throw new PluginSetException(r);
            }
        }
        return verdicts;
    }

    /**
     * The verdicts as the engine receives them ({@link io.aetherflow.launch.LaunchInfo#trust()}).
     *
     * @param bundles the lock entries
     * @param verdicts their verdicts, same order
     * @return one entry per bundle, same order
     */
    public static List<BundleTrust> forEngine(List<LockedBundle> bundles, List<TrustVerdict> verdicts) {
        List<BundleTrust> out = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            LockedBundle b = bundles.get(i);
            TrustVerdict v = verdicts.get(i);
            out.add(new BundleTrust(b.symbolicName(), b.version(), v.status(), v.signerSha256(), v.signerSubject()));
        }
        return out;
    }

    private void load() {
        List<String> lines;
        try {
            lines = Files.readAllLines(cacheFile, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return;
        }
        Base64.Decoder dec = Base64.getDecoder();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length != 8) {
                continue;
            }
            try {
                TrustVerdict v = new TrustVerdict(TrustStatus.ofLabel(f[2]), f[5].equals("-") ? null : f[5],
                        f[6].equals("-") ? null : new String(dec.decode(f[6]), StandardCharsets.UTF_8),
                        Long.parseLong(f[3]), Long.parseLong(f[4]), new String(dec.decode(f[7]), StandardCharsets.UTF_8));
                remembered.put(f[0] + " " + f[1], v);
            } catch (IllegalArgumentException e) {
                // a damaged line only costs one re-verification
            }
        }
    }

    /** Writes the verdicts used by this check back to the cache when any was computed anew (failures ignored). */
    public void save() {
        if (cacheFile == null || !changed) {
            return;
        }
        Base64.Encoder enc = Base64.getEncoder();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, TrustVerdict> e : used.entrySet()) {
            TrustVerdict v = e.getValue();
            sb.append(e.getKey()).append(' ').append(v.status().label()).append(' ').append(v.notBefore()).append(' ')
                    .append(v.notAfter()).append(' ').append(v.signerSha256() == null ? "-" : v.signerSha256())
                    .append(' ').append(v.signerSubject() == null ? "-"
                            : enc.encodeToString(v.signerSubject().getBytes(StandardCharsets.UTF_8)))
                    .append(' ').append(enc.encodeToString(v.detail().getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        if (CacheDirs.replaceCacheFile(cacheFile, sb)) {
            changed = false;
        }
    }
}
