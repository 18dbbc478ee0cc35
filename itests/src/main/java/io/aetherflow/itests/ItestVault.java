package io.aetherflow.itests;

import io.aetherflow.api.secrets.SecretsProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;

/**
 * A plugin-provided secrets provider, selected by AETHERFLOW_SECRETS_MODULE=itest-vault (set for the
 * test framework in itests.bndrun): decode reverses the text; expandEnv adds ITEST_EXPANDED.
 */
@Component(property = SecretsProvider.NAME_PROPERTY + "=itest-vault")
public final class ItestVault implements SecretsProvider {

    /** Every value decode was called with (test-only recorder). */
    static final List<String> DECODED = new CopyOnWriteArrayList<>();

    @Override
    public String decode(String value) {
        DECODED.add(value);
        return new StringBuilder(value).reverse().toString();
    }

    @Override
    public Map<String, String> expandEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.put("ITEST_EXPANDED", "from-vault");
        return out;
    }
}
