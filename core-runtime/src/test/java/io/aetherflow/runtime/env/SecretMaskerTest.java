package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void masksEveryOccurrence() {
        SecretMasker m = new SecretMasker();
        m.add("hunter2");
        assertEquals("pw=*** again *** end", m.mask("pw=hunter2 again hunter2 end"));
    }

    @Test
    void emptyMaskerAndNoHitReturnTheSameString() {
        SecretMasker m = new SecretMasker();
        String text = "nothing secret here";
        assertSame(text, m.mask(text));
        m.add("s3cr3t");
        assertSame(text, m.mask(text));
        assertNull(m.mask(null));
    }

    @Test
    void ignoresNullEmptyAndShortValues() {
        SecretMasker m = new SecretMasker();
        m.add(null);
        m.add("");
        m.add("ab");
        assertTrue(m.isEmpty());
        assertEquals("ab cd", m.mask("ab cd"));
        m.add("abc");
        m.add("abc");
        assertEquals(1, m.size());
    }

    @Test
    void longestFirstAndNestedSecrets() {
        SecretMasker m = new SecretMasker();
        m.add("pass");
        m.add("password123");
        assertEquals("x=*** y=***", m.mask("x=password123 y=pass"));
    }

    @Test
    void overlappingSecretsLeakNoFragment() {
        SecretMasker m = new SecretMasker();
        m.add("abcdef");
        m.add("defghi");
        assertEquals("[***]", m.mask("[abcdefghi]"));
        assertEquals("***-***", m.mask("defghi-abcdef"));
    }

    @Test
    void envSecretsByName() {
        SecretMasker m = new SecretMasker();
        m.addEnvSecrets(Map.of(
                "DB_PASSWORD", "pw-value-1",
                "github_token", "ghp_abc",
                "MY_SECRET_KEY", "sk-1",
                "SERVICE_APIKEY", "key-1",
                "X_API_KEY", "key-2",
                "AWS_CREDENTIALS", "cred-1",
                "LDAP_PASSWD", "ldap-1",
                "USE_TOKEN", "true",
                "HOME", "/home/user",
                "AETHERFLOW_SECRETS_PATH", "/opt/bin/decoder"));
        String text = "pw-value-1 ghp_abc sk-1 key-1 key-2 cred-1 ldap-1 true /home/user /opt/bin/decoder";
        assertEquals("*** *** *** *** *** *** *** true /home/user /opt/bin/decoder", m.mask(text));
        assertTrue(SecretMasker.isSecretName("Client_Secret"));
        assertFalse(SecretMasker.isSecretName("USER"));
    }

    @Test
    void concurrentAddAndMask() throws Exception {
        SecretMasker m = new SecretMasker();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        String s = "secret-" + id + "-" + i;
                        m.add(s);
                        if (!m.mask("<" + s + ">").equals("<***>")) {
                            throw new AssertionError("own secret not masked: " + s);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(threads * 200, m.size());
    }

    @Test
    void masksUrlUserinfoAndQueryValuesOfASecretUrl() {
        SecretMasker m = new SecretMasker();
        m.add("https://svc:p%40ss-w0rd@api.example.com/v1?api_key=K3y-9x&region=eu-west&flag=on");
        // the request URL is longer than the registered value, so whole-value masking alone misses it
        String text = "GET https://svc:p%40ss-w0rd@api.example.com/v1/items?page=2&api_key=K3y-9x failed";
        String masked = m.mask(text);
        assertFalse(masked.contains("p%40ss-w0rd"), masked);
        assertFalse(masked.contains("svc:"), masked);
        assertFalse(masked.contains("K3y-9x"), masked);
        assertEquals("GET https://***@api.example.com/v1/items?page=2&api_key=*** failed", masked);
        assertEquals("GET ***/items: connection refused",
                m.mask("GET https://api.example.com/v1/items: connection refused"),
                "the URL a client shows (no userinfo, no query) is masked too");
        assertEquals("host api.example.com", m.mask("host api.example.com"), "a bare host name is not masked");
        assertEquals("pw ***", m.mask("pw p@ss-w0rd"));
        assertEquals("r ***", m.mask("r eu-west"));
        assertEquals("on", m.mask("on"), "flag words are not registered");
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        SecretMasker m = new SecretMasker();
        m.add("-----BEGIN KEY-----\nAAAAB3NzaC1yc2E\n-----END KEY-----\n");
        assertEquals("x ***\n", m.mask("x AAAAB3NzaC1yc2E\n"));
    }

    @Test
    void urlPartsAreTheShownFormUserinfoPasswordAndQueryValues() {
        assertEquals(List.of("https://api.example.com/v1/base"), SecretMasker.parts("https://api.example.com/v1/base"));
        assertEquals(List.of("sftp://h.example/in/", "sftp://h.example/in", "bob:pw-123", "pw-123"),
                SecretMasker.parts("sftp://bob:pw-123@h.example/in/"));
        assertEquals(List.of(), SecretMasker.parts("plain-secret-value"));
    }
}
