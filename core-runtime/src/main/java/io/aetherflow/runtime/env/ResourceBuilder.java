package io.aetherflow.runtime.env;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.template.DecodeRequest;
import io.aetherflow.runtime.template.DecodeRequests;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.template.TemplateSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the run's resources from their declarations, per resource:
 * <ol>
 * <li>enterprise mode: an {@code archive} resource must use an allowlisted driver;</li>
 * <li>the named profile (an undeclared name is an error) is deep-merged under the resource:
 * {@code config} and {@code options} maps merge recursively, the resource's values win, lists and
 * scalars are replaced;</li>
 * <li>{@code decode} = profile decode merged with resource decode ({@code config}/{@code options}
 * maps deep-merged, {@code config_paths}/{@code options_paths} concatenated profile first without
 * duplicates, other keys: the resource wins);</li>
 * <li>{@code config} and {@code options} are rendered with the resource phase (root {@code env});</li>
 * <li>the leaves named by {@code decode} are passed to the secrets provider; a raw value that combines
 * a template with other text is rejected; non-string and missing leaves are left alone; every
 * decoded value is registered with the masker.</li>
 * </ol>
 * Unlike the reference, decode requests without a configured provider are an error, not a warning.
 */
public final class ResourceBuilder {


    private final Profiles profiles;
    private final Optional<SecretsProvider> secrets;
    private final SecretMasker masker;
    private final Set<String> archiveAllowlist;

    /**
     * @param profiles the run's profiles
     * @param secrets the run's secrets provider, if configured
     * @param masker receives every decoded value
     */
    public ResourceBuilder(Profiles profiles, Optional<SecretsProvider> secrets, SecretMasker masker) {
        this(profiles, secrets, masker, null);
    }

    private ResourceBuilder(Profiles profiles, Optional<SecretsProvider> secrets, SecretMasker masker,
            Set<String> archiveAllowlist) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.masker = Objects.requireNonNull(masker, "masker");
        this.archiveAllowlist = archiveAllowlist;
    }

    /**
     * Enterprise mode: {@code kind: archive} resources must use one of these drivers.
     *
     * @param zipDrivers the manifest's {@code zip_drivers} (empty when there is no bundle: every
     *     archive resource fails, as in the reference)
     * @return a builder that enforces the allowlist
     */
    public ResourceBuilder withArchiveAllowlist(Set<String> zipDrivers) {
        return new ResourceBuilder(profiles, secrets, masker, Set.copyOf(zipDrivers));
    }

    /**
     * Builds every resource, in declaration order.
     *
     * @param resources declarations by name
     * @param env the run's environment snapshot
     * @return resolved resources by name, in the same order, unmodifiable
     */
    public Map<String, ResolvedResource> buildAll(Map<String, ResourceSpec> resources, Map<String, String> env) {
        Map<String, ResolvedResource> out = new LinkedHashMap<>();
        resources.forEach((name, spec) -> out.put(name, build(name, spec, env)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Builds one resource.
     *
     * @param name the name under {@code resources:}
     * @param spec the declaration
     * @param env the run's environment snapshot (template root {@code env})
     * @return the resolved resource
     * @throws ResourceException enterprise archive driver not allowlisted
     * @throws ProfilesException undeclared profile
     * @throws TemplateSyntaxException bad template, bad decode spec, or a decoded value that combines
     *     a template with other text
     * @throws io.aetherflow.runtime.template.TemplateMissingKeyException a template names a missing
     *     variable without default
     * @throws SecretsConfigException decode requested but no provider configured
     * @throws SecretsFailedException the provider failed to decode a value
     */
    public ResolvedResource build(String name, ResourceSpec spec, Map<String, String> env) {
        String where = "resources." + name;
        if (archiveAllowlist != null && "archive".equals(spec.kind()) && !archiveAllowlist.contains(spec.driver())) {
            throw new ResourceException("Enterprise mode requires " + where + ".driver to be one of "
                    + pyList(new TreeSet<>(archiveAllowlist)) + " for kind=archive. Got: '" + spec.driver() + "'");
        }
        Profile profile = profileOf(where, spec.profile());
        Map<String, Object> rawConfig = Trees.merge(profile.config(), spec.config());
        Map<String, Object> rawOptions = Trees.merge(profile.options(), spec.options());
        Map<String, Object> decode = mergeDecode(profile.decode(), spec.decode());

        Map<String, Object> roots = Map.of("env", env);
        Map<String, Object> config = renderMap(where + ".config", rawConfig, roots);
        Map<String, Object> options = renderMap(where + ".options", rawOptions, roots);

        List<DecodeRequest> requests = requests(where, decode);
        if (!requests.isEmpty()) {
            if (secrets.isEmpty()) {
                throw new SecretsConfigException(where + ": decode requested but no secrets provider is configured;"
                        + " set AETHERFLOW_SECRETS_MODULE or AETHERFLOW_SECRETS_PATH");
            }
            Map<String, Map<String, Object>> raw = Map.of("config", rawConfig, "options", rawOptions);
            for (DecodeRequest r : requests) {
                Object rawValue = DecodeRequests.valueAt(raw.get(r.section()), r);
                if (rawValue instanceof String s && TemplateResolver.hasTemplate(s)
                        && !TemplateResolver.isStandaloneToken(s)) {
                    throw new TemplateSyntaxException(where + "." + r.dotted() + ": "
                            + DecodeRequests.STANDALONE_MESSAGE);
                }
            }
            Map<String, Map<String, Object>> rendered = Map.of("config", config, "options", options);
            for (DecodeRequest r : requests) {
                Map<String, Object> section = rendered.get(r.section());
                if (DecodeRequests.valueAt(section, r) instanceof String encoded) {
                    setLeaf(section, r.path(), decode(where + "." + r.dotted(), encoded));
                }
            }
        }
        return new ResolvedResource(name, spec.kind(), spec.driver(), spec.profile(), config, options, decode);
    }

    private Profile profileOf(String where, String profileName) {
        if (profileName == null) {
            return Profile.EMPTY;
        }
        Optional<Profile> p = profiles.find(profileName);
        if (p.isPresent()) {
            return p.get();
        }
        if (profiles.names().isEmpty()) {
            throw new ProfilesException(where + ".profile: unknown profile '" + profileName
                    + "'; no profiles are configured (set AETHERFLOW_PROFILES_FILE or AETHERFLOW_PROFILES_JSON)");
        }
        throw new ProfilesException(where + ".profile: unknown profile '" + profileName + "'; known profiles: "
                + pyList(profiles.names()));
    }

    private String decode(String where, String encoded) {
        String decoded;
        try {
            decoded = secrets.get().decode(encoded);
        } catch (SecretsException e) {
            throw new SecretsFailedException(where + ": secrets provider failed to decode the value: "
                    + masker.mask(maskValue(e.getMessage(), encoded)), e);
        } catch (RuntimeException e) {
            throw new SecretsFailedException(where + ": secrets provider failed to decode the value: "
                    + masker.mask(maskValue(String.valueOf(e.getMessage()), encoded)), e);
        }
        if (decoded == null) {
            throw new SecretsFailedException(where + ": secrets provider returned no value (null) from decode", null);
        }
        masker.add(decoded);
        return decoded;
    }

    private static String maskValue(String message, String value) {
        SecretMasker one = new SecretMasker();
        one.add(value);
        return one.mask(message == null ? "" : message);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> renderMap(String where, Map<String, Object> raw, Map<String, Object> roots) {
        Object rendered;
        try {
            rendered = TemplateResolver.render(raw, Phase.RESOURCE, roots);
        } catch (TemplateSyntaxException e) {
            throw new TemplateSyntaxException(where + ": " + e.detail());
        }
        // A mutable copy: decoded leaves are written into it.
        return (Map<String, Object>) Trees.copy(rendered);
    }

    private static List<DecodeRequest> requests(String where, Map<String, Object> decode) {
        try {
            return DecodeRequests.collect(decode);
        } catch (TemplateSyntaxException e) {
            throw new TemplateSyntaxException(where + "." + e.detail());
        }
    }

    @SuppressWarnings("unchecked")
    private static void setLeaf(Map<String, Object> root, List<String> path, Object value) {
        Map<String, Object> cur = root;
        for (int i = 0; i < path.size() - 1; i++) {
            cur = (Map<String, Object>) cur.get(path.get(i));
        }
        cur.put(path.get(path.size() - 1), value);
    }

    /** Decode spec merge: see the class comment. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergeDecode(Map<String, Object> profile, Map<String, Object> resource) {
        Map<String, Object> out = Trees.merge(profile, Map.of());
        if (resource == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : resource.entrySet()) {
            String key = e.getKey();
            Object base = out.get(key);
            Object v = e.getValue();
            if ((key.equals("config_paths") || key.equals("options_paths")) && base instanceof List<?> bl
                    && v instanceof List<?> vl) {
                LinkedHashSet<Object> joined = new LinkedHashSet<>(bl);
                joined.addAll(vl);
                out.put(key, new ArrayList<>(joined));
            } else if (base instanceof Map<?, ?> bm && v instanceof Map<?, ?> vm) {
                out.put(key, Trees.merge((Map<String, ?>) bm, (Map<String, ?>) vm));
            } else {
                out.put(key, Trees.copy(v));
            }
        }
        return out;
    }

    private static String pyList(Iterable<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : items) {
            sb.append(sb.length() == 1 ? "'" : ", '").append(s).append('\'');
        }
        return sb.append(']').toString();
    }
}
