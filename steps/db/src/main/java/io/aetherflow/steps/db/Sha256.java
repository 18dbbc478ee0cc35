package io.aetherflow.steps.db;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a stream of bytes: through the system's OpenSSL {@code libcrypto} when it loads (its
 * SHA-256 uses the CPU's SHA extensions), else the JDK's {@link MessageDigest}. The JDK's SHA-256 is
 * fast only under C2, which has an intrinsic for it; the launcher runs commands with C1 only, where
 * 62 MB took 0.6 s of CPU against 0.05 s through libcrypto (bench/README.md, session 6).
 */
abstract class Sha256 {

    /**
     * @return a new digest: libcrypto's when it can be loaded, else the JDK's
     */
    static Sha256 create() {
        Sha256 n = Native256.create();
        return n != null ? n : jdk();
    }

    /** @return the JDK's implementation */
    static Sha256 jdk() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Sha256() {
            @Override
            void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            byte[] digest() {
                return md.digest();
            }

            @Override
            String implementation() {
                return "jdk";
            }
        };
    }

    /** Hashes {@code len} bytes of {@code b} from {@code off}. */
    abstract void update(byte[] b, int off, int len);

    /** @return the 32-byte digest; the instance is done (and its native resources freed) */
    abstract byte[] digest();

    /** @return {@code openssl} or {@code jdk} (for tests and logs) */
    abstract String implementation();

    /** @return the digest as lower-case hex */
    final String hex() {
        return HexFormat.of().formatHex(digest());
    }

    /** The EVP functions of OpenSSL 1.1 and 3 that one SHA-256 needs. */
    public interface LibCrypto extends Library {
        Pointer EVP_MD_CTX_new();

        Pointer EVP_sha256();

        int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

        int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

        int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

        void EVP_MD_CTX_free(Pointer ctx);
    }

    /** libcrypto through JNA; bytes are copied into one native buffer per update. */
    private static final class Native256 extends Sha256 {
        private static final int BUFFER = 1 << 18;
        private static final Object LOCK = new Object();
        private static LibCrypto lib;
        private static boolean tried;

        private final Pointer ctx;
        private final Memory buf = new Memory(BUFFER);

        private Native256(Pointer ctx) {
            this.ctx = ctx;
        }

        /** @return a digest, or null when JNA or libcrypto cannot be loaded here (once per process) */
        static Native256 create() {
            LibCrypto l = load();
            if (l == null) {
                return null;
            }
            try {
                Pointer ctx = l.EVP_MD_CTX_new();
                if (ctx == null) {
                    return null;
                }
                if (l.EVP_DigestInit_ex(ctx, l.EVP_sha256(), null) != 1) {
                    l.EVP_MD_CTX_free(ctx);
                    return null;
                }
                return new Native256(ctx);
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }

        private static LibCrypto load() {
            synchronized (LOCK) {
                if (!tried) {
                    tried = true;
                    if (!"off".equals(System.getProperty("aetherflow.sha256.native"))) {
                        // libcrypto.so is only there with the development package; the runtime's is versioned
                        for (String name : new String[] {"crypto", "libcrypto.so.3", "libcrypto.so.1.1"}) {
                            try {
                                lib = Native.load(name, LibCrypto.class);
                                break;
                            } catch (RuntimeException | LinkageError e) {
                                // next name; none: the JDK's digest
                            }
                        }
                    }
                }
                return lib;
            }
        }

        @Override
        void update(byte[] b, int off, int len) {
            while (len > 0) {
                int k = Math.min(len, BUFFER);
                buf.write(0, b, off, k);
                if (lib.EVP_DigestUpdate(ctx, buf, k) != 1) {
                    throw new IllegalStateException("libcrypto EVP_DigestUpdate failed");
                }
                off += k;
                len -= k;
            }
        }

        @Override
        byte[] digest() {
            byte[] md = new byte[32];
            try {
                if (lib.EVP_DigestFinal_ex(ctx, md, null) != 1) {
                    throw new IllegalStateException("libcrypto EVP_DigestFinal_ex failed");
                }
                return md;
            } finally {
                lib.EVP_MD_CTX_free(ctx);
                buf.close();
            }
        }

        @Override
        String implementation() {
            return "openssl";
        }
    }
}
