package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashingOutputStreamTest {

    @Test
    void hashesWhatItWritesAcrossManyChunks() throws Exception {
        byte[] data = new byte[HashingOutputStream.CHUNK * (HashingOutputStream.QUEUED + 3) + 12345];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        HashingOutputStream h = new HashingOutputStream(file);
        assertThrows(IllegalStateException.class, h::sha256);
        int i = 0;
        while (i < data.length) {
            int len = Math.min(1 + (i % 70_001), data.length - i);
            if (len == 1) {
                h.write(data[i]);
            } else {
                h.write(data, i, len);
            }
            i += len;
        }
        h.close();
        h.close();
        assertArrayEquals(data, file.toByteArray());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), h.sha256());
    }

    @Test
    void emptyStream() throws Exception {
        HashingOutputStream h = new HashingOutputStream(new ByteArrayOutputStream());
        h.close();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", h.sha256());
    }
}
