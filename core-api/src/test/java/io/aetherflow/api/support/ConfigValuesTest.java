package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private static ConfigValues options(Map<String, ?> m) {
        return ConfigValues.of("api", "options", m);
    }

    private static String error(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ConnectorException.class, e).getMessage();
    }

    @Test
    void nestedDottedAndFlatKeysAliasesAndEmptyText() {
        ConfigValues v = options(Map.of("retry", Map.of("max_attempts", 2), "timeouts.total", "5", "a", ""));
        assertEquals(2, v.get("retry.max_attempts"));
        assertEquals("5", v.get("timeouts.total"));
        assertNull(v.get("retry.nothing.deeper"));
        assertNull(v.first("a"), "empty text is not set");
        assertEquals("5", v.string("a", "timeouts.total"));
        assertNull(options(null).string("x"));
    }

    @Test
    void fallbackIsConsultedOnlyForMissingKeys() {
        ConfigValues v = ConfigValues.of(Map.of("x", "config"), (k, e) -> k + ":" + e).orElse(Map.of("x", "options",
                "y", "options"));
        assertEquals("config", v.string("x"));
        assertEquals("options", v.string("y"));
    }

    @Test
    void secondsAndDurations() {
        ConfigValues v = options(Map.of("t", "1.5", "n", 2, "bad", "soon", "zero", 0, "tiny", 0.0001));
        assertEquals(1.5, v.seconds(30, "t"));
        assertEquals(30, v.seconds(30, "missing"));
        assertEquals(Duration.ofSeconds(2), v.duration(30, "n"));
        assertEquals(Duration.ofMillis(1), v.duration(30, "tiny"), "at least one millisecond");
        assertEquals("options.bad of resource api must be a number of seconds", error(() -> v.seconds(1, "bad")));
        assertEquals("options.zero of resource api must be a positive number of seconds",
                error(() -> v.seconds(1, "zero")));
        assertEquals("options.t of resource api must be a positive number of seconds",
                error(() -> options(Map.of("t", "Infinity")).seconds(1, "t")));
    }

    @Test
    void integersPortsAndPositiveNumbers() {
        ConfigValues v = options(Map.of("i", "7", "d", 3.0, "half", 2.5, "neg", -1, "big", 70000, "text", "x"));
        assertEquals(7, v.integer(0, 0, "i"));
        assertEquals(3, v.integer(0, 0, "d"), "a whole double is an integer");
        assertEquals(9, v.integer(9, 0, "missing"));
        assertEquals("options.half of resource api must be an integer", error(() -> v.integer(0, 0, "half")));
        assertEquals("options.text of resource api must be an integer", error(() -> v.integer(0, 0, "text")));
        assertEquals("options.neg of resource api must be an integer >= 0", error(() -> v.integer(0, 0, "neg")));
        assertEquals(7, v.port(22, "i"));
        assertEquals(22, v.port(22, "missing"));
        assertEquals("options.big of resource api must be a TCP port between 1 and 65535",
                error(() -> v.port(22, "big")));
        assertEquals("options.text of resource api must be an integer", error(() -> v.port(22, "text")));
        assertEquals(7, v.positiveInteger(1, "i"));
        assertEquals("options.neg of resource api must be a positive integer", error(() -> v.positiveInteger(1, "neg")));
        assertEquals("options.text of resource api must be a positive integer",
                error(() -> v.positiveInteger(1, "text")));
        assertEquals(2.5, v.positiveNumber(1, "half"));
        assertEquals("options.neg of resource api must be a positive number", error(() -> v.positiveNumber(1, "neg")));
    }

    @Test
    void strictBooleans() {
        for (Object t : List.of(true, "true", "YES", " 1 ", "on")) {
            assertEquals(Boolean.TRUE, ConfigValues.strictBoolean(t), String.valueOf(t));
        }
        for (Object f : List.of(false, "False", "no", "0", "off")) {
            assertEquals(Boolean.FALSE, ConfigValues.strictBoolean(f), String.valueOf(f));
        }
        assertNull(ConfigValues.strictBoolean("maybe"));
        assertNull(ConfigValues.strictBoolean(null));
        ConfigValues v = options(Map.of("b", "no", "s", "ca.pem"));
        assertFalse(v.bool(true, "b"));
        assertTrue(v.bool(true, "missing"));
        assertEquals("options.s of resource api must be true or false", error(() -> v.bool(true, "s")));
        assertEquals(Boolean.FALSE, v.boolOrString(Boolean.TRUE, "b"));
        assertEquals("ca.pem", v.boolOrString(Boolean.TRUE, "s"));
    }

    @Test
    void mapsListsAndStatusCodes() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("X-A", 1);
        headers.put("X-B", null);
        ConfigValues v = options(Map.of("h", headers, "notmap", "x", "cmd", List.of("zip", 1), "empty", List.of(),
                "codes", "429, 503", "list", List.of(500, "502"), "low", List.of(99), "junk", "a,b"));
        assertEquals(Map.of("X-A", "1"), v.stringMap("h"));
        assertEquals(Map.of(), v.stringMap("missing"));
        assertEquals("options.notmap of resource api must be a mapping of names to values",
                error(() -> v.stringMap("notmap")));
        assertEquals(List.of("zip", "1"), v.stringList("cmd"));
        assertNull(v.stringList("empty"));
        assertNull(v.stringList("notmap"));
        assertEquals(List.of(429, 503), v.statusCodes(List.of(), "codes"));
        assertEquals(List.of(500, 502), v.statusCodes(List.of(), "list"));
        assertEquals(List.of(1), v.statusCodes(List.of(1), "missing"));
        assertEquals("options.low of resource api must be HTTP status codes between 100 and 599",
                error(() -> v.statusCodes(null, "low")));
        assertEquals("options.junk of resource api must be a list of HTTP status codes",
                error(() -> v.statusCodes(null, "junk")));
    }

    @Test
    void tlsSettings() {
        assertEquals(new TlsSettings(true, null), options(Map.of()).tls());
        assertEquals(new TlsSettings(false, null), options(Map.of("verify_ssl", "false")).tls());
        assertEquals(new TlsSettings(true, Path.of("ca.pem")), options(Map.of("verify", "ca.pem")).tls());
        assertEquals(new TlsSettings(true, Path.of("b.pem")), options(Map.of("verify_ssl", "a.pem", "ca_file",
                "b.pem")).tls());
    }

    @Test
    void retrySettingsAndBackoff() {
        RetrySettings r = options(Map.of("retry", Map.of("max_attempts", 500, "backoff", 0.1, "backoff_max", "0.35",
                "statuses", List.of(503)))).retry(0, 0, List.of(429), "retry.max_attempts", "retries");
        assertEquals(new RetrySettings(100, Duration.ofMillis(100), Duration.ofMillis(350), List.of(503)), r);
        assertEquals(Arrays.asList(100L, 200L, 350L, 350L), List.of(r.waitAfter(1).toMillis(), r.waitAfter(2).toMillis(),
                r.waitAfter(3).toMillis(), r.waitAfter(4).toMillis()));
        RetrySettings defaults = options(Map.of("retry.statuses", "oops")).retry(1, 1, null, "retry.max_attempts");
        assertEquals(new RetrySettings(1, Duration.ofSeconds(1), Duration.ofSeconds(5), List.of()), defaults,
                "statuses are not read where the connector has none");
        assertEquals("options.retry.max_attempts of resource api must be an integer >= 0",
                error(() -> options(Map.of("retries", -1)).retry(0, 0, List.of(), "retry.max_attempts", "retries")
                        .attempts()));
    }

    @Test
    void messagesComeFromTheCallerAndNeverCarryTheValue() {
        ConfigValues v = ConfigValues.of(Map.of("port", "s3cr3t"),
                (k, e) -> "resource files: config." + k + " must be " + e);
        String m = error(() -> v.port(22, "port"));
        assertEquals("resource files: config.port must be an integer", m);
        assertFalse(m.contains("s3cr3t"));
    }
    @Test
    void sizesInBytesWithIecSiAndJvmUnits() {
        assertEquals(512L, ConfigValues.sizeBytes(512));
        assertEquals(512L, ConfigValues.sizeBytes("512"));
        assertEquals(512L, ConfigValues.sizeBytes(" 512 B "));
        assertEquals(0L, ConfigValues.sizeBytes("0"));
        assertEquals(524_288L, ConfigValues.sizeBytes("512k"));
        assertEquals(524_288L, ConfigValues.sizeBytes("512K"));
        assertEquals(524_288L, ConfigValues.sizeBytes("512KiB"));
        assertEquals(512_000L, ConfigValues.sizeBytes("512kB"));
        assertEquals(512_000L, ConfigValues.sizeBytes("512 KB"));
        assertEquals(10_000_000L, ConfigValues.sizeBytes("10MB"));
        assertEquals(10L << 20, ConfigValues.sizeBytes("10MiB"));
        assertEquals(10L << 20, ConfigValues.sizeBytes("10m"));
        assertEquals(1L << 30, ConfigValues.sizeBytes("1GiB"));
        assertEquals(2_000_000_000L, ConfigValues.sizeBytes("2GB"));
        assertEquals(3L << 30, ConfigValues.sizeBytes("3G"));
        assertEquals(1L << 40, ConfigValues.sizeBytes("1TiB"));
        assertEquals(5_000_000_000_000L, ConfigValues.sizeBytes("5TB"));
        assertEquals(2L << 40, ConfigValues.sizeBytes("2t"));
        assertEquals(4096L, ConfigValues.sizeBytes(4096.0), "a whole double is a number of bytes");
    }

    @Test
    void sizeFormsThatAreNotGuessed() {
        for (Object bad : Arrays.asList(null, "", " ", "MB", "1.5MB", "1.5", "-1", "-1k", "+1k", "10 mb", "10Mib", "10 bytes",
                "10 M B", "0x10", "ten", "1e3", 1.5, -1, true, "9223372036854775807k", "99999999999999999999")) {
            assertNull(ConfigValues.sizeBytes(bad), String.valueOf(bad));
        }
        assertEquals(Long.MAX_VALUE, ConfigValues.sizeBytes(String.valueOf(Long.MAX_VALUE)));
    }

    @Test
    void sizeReadsAKeyOrItsDefaultAndNamesTheKeyNotTheValue() {
        ConfigValues v = options(Map.of("limits", Map.of("max_total_bytes", "64MiB"), "max_body", "2 GB", "bad", "12 parsecs"));
        assertEquals(64L << 20, v.size(1, "limits.max_total_bytes"));
        assertEquals(2_000_000_000L, v.size(1, "max_body_bytes", "max_body"), "an alias");
        assertEquals(7L, v.size(7, "unset"));
        String e = error(() -> v.size(1, "bad"));
        assertEquals("options.bad of resource api must be a size in bytes (a whole number, optionally with a unit: 512,"
                + " 64k, 10MB, 1GiB)", e);
        assertFalse(e.contains("parsecs"), e);
    }
}
