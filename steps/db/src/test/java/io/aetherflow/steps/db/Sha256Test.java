package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void libcryptoDigestEqualsTheJdksForEverySplitAndSize() {
        Sha256 probe = Sha256.create();
        probe.digest();
        // Debian/Ubuntu and most Linux systems have libcrypto; elsewhere the JDK's digest is the only one
        assumeTrue(probe.implementation().equals("openssl"), "no libcrypto on this machine");
        Random r = new Random(42);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3_000_000}) {
            byte[] data = new byte[size];
            r.nextBytes(data);
            Sha256 n = Sha256.create();
            Sha256 j = Sha256.jdk();
            // uneven pieces, and one above the native buffer
            int off = 0;
            for (int piece = 1; off < size; piece = piece * 7 + 1) {
                int k = Math.min(piece, size - off);
                n.update(data, off, k);
                j.update(data, off, k);
                off += k;
            }
            assertEquals(j.hex(), n.hex(), "size " + size);
        }
    }

    @Test
    void knownAnswer() {
        for (Sha256 s : new Sha256[] {Sha256.create(), Sha256.jdk()}) {
            byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.update(abc, 0, abc.length);
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    HexFormat.of().formatHex(s.digest()), s.implementation());
        }
    }
}
