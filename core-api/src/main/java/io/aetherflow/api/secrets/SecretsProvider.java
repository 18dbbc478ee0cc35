package io.aetherflow.api.secrets;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decodes secret values named by a resource's {@code decode} section, and may expand the run's
 * environment snapshot before templates are rendered. Values returned by {@link #decode(String)} are
 * masked in every log line, error message, captured output and report.
 */
@ConsumerType
public interface SecretsProvider {

    /** Service property: the name selected by {@code AETHERFLOW_SECRETS_MODULE}. */
    String NAME_PROPERTY = "aetherflow.secrets.name";

    /**
     * @param value the encoded value as rendered from the resource config
     * @return the decoded value; never null
     * @throws SecretsException when the value cannot be decoded (message must not contain it)
     */
    String decode(String value) throws SecretsException;

    /**
     * Returns the environment snapshot the run uses (e.g. adding keys fetched from a vault). The
     * result becomes the run's snapshot. The default returns the input.
     *
     * @param env the snapshot so far, unmodifiable
     * @return the new snapshot; never null
     * @throws SecretsException when expansion fails
     */
    default Map<String, String> expandEnv(Map<String, String> env) throws SecretsException {
        return env;
    }
}
