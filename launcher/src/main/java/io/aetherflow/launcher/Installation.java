package io.aetherflow.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Map;

/**
 * An AetherFlow installation: {@code bin/aetherflow}, {@code lib/} (this launcher and Felix),
 * {@code bundles/} and {@code plugins.lock}.
 *
 * @param home the installation directory (absolute, symbolic links resolved)
 * @param version the distribution version (the launcher jar's {@code Implementation-Version})
 */
public record Installation(Path home, String version) {

    /** Environment variable that overrides where the installation is. */
    public static final String HOME_VARIABLE = "AETHERFLOW_HOME";

    /** @return {@code <home>/plugins.lock} */
    public Path lockFile() {
        return home.resolve(PluginLock.FILE_NAME);
    }

    /** @return {@code <home>/bundles}, the default plugin repository */
    public Path bundlesDir() {
        return home.resolve("bundles");
    }

    /**
     * Finds the installation: {@code AETHERFLOW_HOME} when set, else the parent of the {@code lib/}
     * directory that holds the launcher jar.
     *
     * @param env the process environment
     * @return the installation
     * @throws IllegalStateException when neither is usable (message says what to set)
     */
    public static Installation locate(Map<String, String> env) {
        String version = Installation.class.getPackage().getImplementationVersion();
        version = version == null ? "0.0.0-dev" : version;
        String explicit = env.get(HOME_VARIABLE);
        Path home;
        if (explicit != null && !explicit.isBlank()) {
            home = Path.of(explicit);
            if (!Files.isDirectory(home)) {
                throw new IllegalStateException(HOME_VARIABLE + "=" + explicit + " is not a directory; unset it or"
                        + " point it at an AetherFlow installation");
            }
        } else {
            Path jar = launcherJar();
            if (jar == null || !Files.isRegularFile(jar) || jar.getParent() == null
                    || jar.getParent().getParent() == null) {
                throw new IllegalStateException("cannot tell where AetherFlow is installed (launcher loaded from "
                        + jar + "); set " + HOME_VARIABLE);
            }
            home = jar.getParent().getParent();
        }
        try {
            home = home.toRealPath();
        } catch (java.io.IOException e) {
            home = home.toAbsolutePath().normalize();
        }
        return new Installation(home, version);
    }

    private static Path launcherJar() {
        CodeSource cs = Installation.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
