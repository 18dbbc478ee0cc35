package io.aetherflow.runtime.env;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Selects the run's secrets provider (one contract for validate and run) and applies its
 * environment expansion.
 */
public final class SecretsProviders {

    private static final String PYTHON = "python3";

    private SecretsProviders() {
    }

    /**
     * Finds the configured provider. {@code AETHERFLOW_SECRETS_MODULE} wins: it names an installed
     * provider service (property {@value SecretsProvider#NAME_PROPERTY}). Otherwise
     * {@code AETHERFLOW_SECRETS_PATH} names an executable run through {@link ExecutableSecretsProvider},
     * or a Python secrets module (a file ending in {@code .py}, executable or not) that
     * {@code python3} from the engine's {@code PATH} runs through our adapter.
     *
     * @param settings the run settings
     * @param byName looks up a provider service by name
     * @return the provider, or empty when neither variable is set
     * @throws SecretsConfigException when the named service is not installed or the program is
     *     missing or not executable
     */
    public static Optional<SecretsProvider> resolve(Settings settings,
            Function<String, Optional<SecretsProvider>> byName) {
        return resolve(settings, byName, System.getenv("PATH"));
    }

    /**
     * {@link #resolve(Settings, Function)} with an explicit search path for {@code python3}.
     *
     * @param settings the run settings
     * @param byName looks up a provider service by name
     * @param searchPath the {@code PATH} in which to find {@code python3} for a {@code .py} hook
     * @return the provider, or empty when neither variable is set
     * @throws SecretsConfigException as {@link #resolve(Settings, Function)}, and when a {@code .py}
     *     hook is configured but no {@code python3} is on the search path
     */
    public static Optional<SecretsProvider> resolve(Settings settings,
            Function<String, Optional<SecretsProvider>> byName, String searchPath) {
        String module = settings.secretsModule();
        if (module != null) {
            Optional<SecretsProvider> p = byName.apply(module);
            if (p == null || p.isEmpty()) {
                throw new SecretsConfigException("AETHERFLOW_SECRETS_MODULE=" + module
                        + ": no secrets provider service with " + SecretsProvider.NAME_PROPERTY + "=" + module
                        + " is installed");
            }
            return p;
        }
        String raw = settings.secretsPath();
        if (raw == null) {
            return Optional.empty();
        }
        Path program = expandHome(raw).toAbsolutePath().normalize();
        if (!Files.exists(program)) {
            throw new SecretsConfigException("AETHERFLOW_SECRETS_PATH=" + raw + ": " + program
                    + " does not exist; point it to an executable secrets program");
        }
        if (!Files.isRegularFile(program)) {
            throw new SecretsConfigException("AETHERFLOW_SECRETS_PATH=" + raw + ": " + program
                    + " is not a regular file; point it to an executable secrets program");
        }
        if (program.getFileName().toString().endsWith(".py")) {
            Path python = findOnPath(PYTHON, searchPath).orElseThrow(() -> new SecretsConfigException(
                    "AETHERFLOW_SECRETS_PATH=" + raw + " is a Python secrets hook, but there is no " + PYTHON
                    + " on the PATH (" + (searchPath == null ? "unset" : searchPath) + "); install Python 3"
                    + " or put python3 on the PATH"));
            return Optional.of(ExecutableSecretsProvider.pythonHook(python, program,
                    ExecutableSecretsProvider.DEFAULT_TIMEOUT));
        }
        if (!Files.isExecutable(program)) {
            throw new SecretsConfigException("AETHERFLOW_SECRETS_PATH=" + raw + ": " + program
                    + " is not executable; it must be a program implementing the decode/expand-env protocol"
                    + " (chmod +x it)");
        }
        return Optional.of(new ExecutableSecretsProvider(program));
    }

    /**
     * Applies the provider's {@code expandEnv} to a snapshot; the result becomes the run's snapshot.
     * Values the provider added or changed (except flag words such as {@code true}) are registered with the masker, as are values of
     * secret-named variables ({@link SecretMasker#addEnvSecrets(Map)}).
     *
     * @param provider the provider, if any
     * @param env the snapshot so far
     * @param masker the run's masker
     * @return the new snapshot (unmodifiable); {@code env} itself when there is no provider
     * @throws SecretsFailedException when the provider fails
     */
    public static Map<String, String> expandEnv(Optional<SecretsProvider> provider, Map<String, String> env,
            SecretMasker masker) {
        if (provider.isEmpty()) {
            masker.addEnvSecrets(env);
            return env;
        }
        Map<String, String> result;
        try {
            result = provider.get().expandEnv(Collections.unmodifiableMap(new LinkedHashMap<>(env)));
        } catch (SecretsException e) {
            throw new SecretsFailedException("Secrets provider failed to expand the environment: "
                    + masker.mask(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new SecretsFailedException("Secrets provider failed to expand the environment: "
                    + masker.mask(String.valueOf(e.getMessage())), e);
        }
        if (result == null) {
            throw new SecretsFailedException("Secrets provider returned no environment from expandEnv", null);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : result.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new SecretsFailedException("Secrets provider returned a null name or value from expandEnv"
                        + (e.getKey() == null ? "" : " (variable " + e.getKey() + ")"), null);
            }
            if (!Objects.equals(env.get(e.getKey()), e.getValue()) && !SecretMasker.isFlagLike(e.getValue())) {
                masker.add(e.getValue());
            }
            out.put(e.getKey(), e.getValue());
        }
        masker.addEnvSecrets(out);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Finds an executable the way a shell does: the first {@code dir/name} on the search path that
     * is an executable regular file; empty directory entries mean the working directory.
     *
     * @param name a program name
     * @param searchPath a {@code PATH} value, may be null
     * @return its absolute path
     */
    static Optional<Path> findOnPath(String name, String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Expands a leading {@code ~} (alone or followed by {@code /}) to the user's home directory.
     *
     * @param raw a path as written
     * @return the path
     */
    public static Path expandHome(String raw) {
        if (raw.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (raw.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), raw.substring(2));
        }
        return Path.of(raw);
    }
}
