package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.template.TemplateMissingKeyException;
import io.aetherflow.runtime.template.TemplateSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceBuilderTest {

    /** Decodes "enc:<x>" to the reversed x; anything else fails. Records the calls. */
    static class ReversingProvider implements SecretsProvider {
        final List<String> calls = new ArrayList<>();

        @Override
        public String decode(String value) throws SecretsException {
            calls.add(value);
            if (!value.startsWith("enc:")) {
                throw new SecretsException("cannot decode " + value);
            }
            return new StringBuilder(value.substring(4)).reverse().toString();
        }
    }

    private static final Map<String, String> ENV = Map.of("DB_HOST", "db.internal", "DB_PASS", "enc:terces",
            "PORT", "5432");

    private final SecretMasker masker = new SecretMasker();
    private final ReversingProvider provider = new ReversingProvider();

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static ResourceSpec spec(String profile, Map<String, Object> config, Map<String, Object> options,
            Map<String, Object> decode) {
        return new ResourceSpec("db", "sqlite", profile, config, options, decode);
    }

    private ResourceBuilder builder(Profiles profiles, boolean withProvider) {
        return new ResourceBuilder(profiles, withProvider ? Optional.of(provider) : Optional.empty(), masker);
    }

    @Test
    void profileIsMergedUnderTheResourceAndRendered() {
        Profiles profiles = Profiles.fromTree(map("pg", map(
                "config", map("host", "{{env.DB_HOST}}", "port", 1, "params", map("ssl", "on", "tz", "UTC"),
                        "hosts", List.of("a", "b")),
                "options", map("cache", "run"))), "test");
        ResourceSpec spec = spec("pg", map("port", "{{env.PORT}}", "params", map("tz", "CET"), "hosts", List.of("c"),
                "url", "jdbc:x://{{env.DB_HOST}}:{{env.PORT}}/app"), map("timeout", 5), Map.of());

        ResolvedResource r = builder(profiles, false).build("main", spec, ENV);

        assertEquals("main", r.name());
        assertEquals("db", r.kind());
        assertEquals("sqlite", r.driver());
        assertEquals("pg", r.profile());
        assertEquals("db.internal", r.config().get("host"));
        assertEquals("5432", r.config().get("port"), "the resource value wins");
        assertEquals(Map.of("ssl", "on", "tz", "CET"), r.config().get("params"), "nested maps merge");
        assertEquals(List.of("c"), r.config().get("hosts"), "lists are replaced");
        assertEquals("jdbc:x://db.internal:5432/app", r.config().get("url"));
        assertEquals(Map.of("cache", "run", "timeout", 5), r.options());
        assertEquals(List.of("host", "port", "params", "hosts", "url"), List.copyOf(r.config().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> r.config().put("x", 1));
        // The declarations are not modified.
        assertEquals("{{env.PORT}}", spec.config().get("port"));
    }

    @Test
    void missingEnvVariableFails() {
        ResourceSpec spec = spec(null, map("host", "{{env.NOPE}}"), Map.of(), Map.of());
        assertThrows(TemplateMissingKeyException.class, () -> builder(Profiles.NONE, false).build("r", spec, ENV));
        TemplateSyntaxException syntax = assertThrows(TemplateSyntaxException.class, () -> builder(Profiles.NONE,
                false).build("r", spec(null, Map.of(), map("x", "${HOME}"), Map.of()), ENV));
        assertTrue(syntax.detail().startsWith("resources.r.options: "), syntax.detail());
        ResourceSpec withDefault = spec(null, map("host", "{{env.NOPE:localhost}}"), Map.of(), Map.of());
        assertEquals("localhost", builder(Profiles.NONE, false).build("r", withDefault, ENV).config().get("host"));
    }

    @Test
    void decodesOnlyMarkedStringLeavesAndMasksThem() {
        ResourceSpec spec = spec(null,
                map("password", "{{env.DB_PASS}}", "user", "enc:nimda", "nested", map("key", "enc:yek", "n", 7)),
                map("token", "enc:nekot", "plain", "enc:notdecoded"),
                map("config", map("password", true, "user", false, "nested", map("key", true, "n", true,
                        "absent", true)),
                        "options_paths", List.of("token", "missing.path")));

        ResolvedResource r = builder(Profiles.NONE, true).build("r", spec, ENV);

        assertEquals("secret", r.config().get("password"));
        assertEquals("enc:nimda", r.config().get("user"));
        assertEquals(Map.of("key", "key", "n", 7), r.config().get("nested"));
        assertEquals("token", r.options().get("token"));
        assertEquals("enc:notdecoded", r.options().get("plain"));
        assertEquals(List.of("enc:terces", "enc:yek", "enc:nekot"), provider.calls);
        assertEquals("user=*** pw=***", masker.mask("user=secret pw=secret"));
        assertEquals("k=*** t=***", masker.mask("k=key t=token"));
    }

    @Test
    void duplicateRequestsDecodeOnce() {
        ResourceSpec spec = spec(null, map("password", "enc:ssap"), Map.of(),
                map("config", map("password", true), "config_paths", List.of("password", "password")));
        ResolvedResource r = builder(Profiles.NONE, true).build("r", spec, ENV);
        assertEquals("pass", r.config().get("password"));
        assertEquals(List.of("enc:ssap"), provider.calls);
    }

    @Test
    void decodeSpecsMerge() {
        Profiles profiles = Profiles.fromTree(map("p", map("config", map("password", "enc:1a"),
                "decode", map("config", map("password", true, "deep", map("a", true)),
                        "config_paths", List.of("x", "y"), "extra", map("k", 1, "j", 2)))), "test");
        ResourceSpec spec = spec("p", map("x", "enc:2b", "y", "plain-but-decoded"), Map.of(),
                map("config", map("deep", map("b", true)), "config_paths", List.of("y", "z"),
                        "options_paths", List.of("o"), "extra", map("k", 9)));
        Map<String, Object> merged = ResourceBuilder.mergeDecode(profiles.find("p").orElseThrow().decode(),
                spec.decode());
        assertEquals(map("config", map("password", true, "deep", map("a", true, "b", true)),
                "config_paths", List.of("x", "y", "z"), "extra", map("k", 9, "j", 2), "options_paths", List.of("o")),
                merged);

        ReversingProvider lenient = new ReversingProvider() {
            @Override
            public String decode(String value) throws SecretsException {
                return value.startsWith("enc:") ? super.decode(value) : value.toUpperCase();
            }
        };
        ResolvedResource r = new ResourceBuilder(profiles, Optional.of(lenient), masker).build("r", spec, ENV);
        assertEquals("a1", r.config().get("password"));
        assertEquals("b2", r.config().get("x"));
        assertEquals("PLAIN-BUT-DECODED", r.config().get("y"));
        assertEquals(merged, r.decode());
    }

    @Test
    void concatenatedTemplateInADecodedValueIsASyntaxError() {
        ResourceSpec spec = spec(null, map("password", "prefix-{{env.DB_PASS}}"), Map.of(),
                map("config", map("password", true)));
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> builder(Profiles.NONE, true).build("db", spec, ENV));
        assertTrue(e.getMessage().startsWith("Unsupported templating syntax. Use {{VAR}} or {{VAR:DEFAULT}}"),
                e.getMessage());
        assertEquals("resources.db.config.password: Decode target must be a standalone template token like"
                + " '{{TOKEN}}' (no prefix/suffix).", e.detail());
        assertTrue(provider.calls.isEmpty());

        // A single token, even with surrounding whitespace, is fine (it renders as text).
        ResourceSpec ok = spec(null, map("password", "{{ env.DB_PASS }}"), Map.of(),
                map("config", map("password", true)));
        assertEquals("secret", builder(Profiles.NONE, true).build("db", ok, ENV).config().get("password"));
        ResourceSpec padded = spec(null, map("padded", "  {{env.DB_PASS}} "), Map.of(),
                map("config", map("padded", true)));
        SecretsProvider trimming = v -> "[" + v.trim() + "]";
        assertEquals("[enc:terces]", new ResourceBuilder(Profiles.NONE, Optional.of(trimming), masker)
                .build("db", padded, ENV).config().get("padded"));
    }

    @Test
    void badDecodeSpecsAreSyntaxErrors() {
        for (Map<String, Object> decode : List.<Map<String, Object>>of(
                map("config", map("password", "yes")),
                map("config", List.of("password")),
                map("config_paths", "password"),
                map("options_paths", List.of("")),
                map("options_paths", List.of(3)))) {
            ResourceSpec spec = spec(null, map("password", "x"), Map.of(), decode);
            TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                    () -> builder(Profiles.NONE, true).build("r", spec, ENV), decode.toString());
            assertTrue(e.getMessage().contains("resources.r.decode"), e.getMessage());
        }
    }

    @Test
    void decodeWithoutProviderIsAnError() {
        ResourceSpec spec = spec(null, map("password", "enc:x"), Map.of(), map("config", map("password", true)));
        SecretsConfigException e = assertThrows(SecretsConfigException.class,
                () -> builder(Profiles.NONE, false).build("db", spec, ENV));
        assertEquals("resources.db: decode requested but no secrets provider is configured;"
                + " set AETHERFLOW_SECRETS_MODULE or AETHERFLOW_SECRETS_PATH", e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        // Flags that are all false request nothing.
        ResourceSpec none = spec(null, map("password", "enc:x"), Map.of(), map("config", map("password", false)));
        assertEquals("enc:x", builder(Profiles.NONE, false).build("db", none, ENV).config().get("password"));
    }

    @Test
    void providerFailureNamesThePathButNotTheValue() {
        ResourceSpec spec = spec(null, map("password", "{{env.DB_HOST}}"), Map.of(),
                map("config", map("password", true)));
        SecretsFailedException e = assertThrows(SecretsFailedException.class,
                () -> builder(Profiles.NONE, true).build("db", spec, ENV));
        assertFalse(e.getMessage().contains("db.internal"), e.getMessage());
        assertTrue(e.getMessage().startsWith("resources.db.config.password: secrets provider failed"), e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void unknownProfileIsAnError() {
        Profiles profiles = Profiles.fromTree(map("b", map(), "a", map()), "test");
        ProfilesException e = assertThrows(ProfilesException.class,
                () -> builder(profiles, false).build("db", spec("nope", Map.of(), Map.of(), Map.of()), ENV));
        assertEquals("resources.db.profile: unknown profile 'nope'; known profiles: ['b', 'a']", e.getMessage());
        assertTrue(assertThrows(ProfilesException.class,
                () -> builder(Profiles.NONE, false).build("db", spec("nope", Map.of(), Map.of(), Map.of()), ENV))
                .getMessage().contains("no profiles are configured"));
    }

    @Test
    void enterpriseArchiveAllowlist() {
        ResourceBuilder b = builder(Profiles.NONE, false).withArchiveAllowlist(Set.of("zipfile", "pyzipper"));
        ResourceSpec os = new ResourceSpec("archive", "os", null, Map.of(), Map.of(), Map.of());
        ResourceException e = assertThrows(ResourceException.class, () -> b.build("zip", os, ENV));
        assertEquals("Enterprise mode requires resources.zip.driver to be one of ['pyzipper', 'zipfile'] for"
                + " kind=archive. Got: 'os'", e.getMessage());
        ResourceSpec ok = new ResourceSpec("archive", "pyzipper", null, Map.of(), Map.of(), Map.of());
        assertEquals("pyzipper", b.build("zip", ok, ENV).driver());
        assertEquals("os", builder(Profiles.NONE, false).build("zip", os, ENV).driver(), "not enterprise");
    }

    @Test
    void buildAllKeepsOrder() {
        Map<String, ResourceSpec> specs = new LinkedHashMap<>();
        specs.put("z", spec(null, Map.of(), Map.of(), Map.of()));
        specs.put("a", spec(null, Map.of(), Map.of(), Map.of()));
        assertEquals(List.of("z", "a"), List.copyOf(builder(Profiles.NONE, false).buildAll(specs, ENV).keySet()));
    }
}
