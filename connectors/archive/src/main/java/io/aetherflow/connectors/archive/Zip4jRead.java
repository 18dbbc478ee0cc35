package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.lingala.zip4j.exception.ZipException;

/** Extraction through zip4j (plain, ZipCrypto and AES entries), shared by the zip and aes drivers. */
final class Zip4jRead {

    private Zip4jRead() {
    }

    static List<String> extract(BaseConnector c, Path archive, Path staging, String password, List<String> members)
            throws IOException {
        try (Zip4jEntries src = new Zip4jEntries(archive, password)) {
            List<SafeExtractor.Named> plan = c.safety.plan(archive, src.entries(), members);
            if (password == null) {
                for (SafeExtractor.Named n : plan) {
                    if (n.entry().encrypted()) {
                        throw new ConnectorException(c.prefix() + ": archive " + archive + " is encrypted (entry '"
                                + SafeExtractor.printable(n.entry().name()) + "'); set inputs.password");
                    }
                }
            }
            return c.safety.extractTo(archive, src, plan, staging);
        } catch (ZipException e) {
            if (e.getType() == ZipException.Type.WRONG_PASSWORD
                    || (password != null && e.getType() == ZipException.Type.CHECKSUM_MISMATCH)) {
                throw new ConnectorException(c.prefix() + ": wrong password for archive " + archive
                        + " (check inputs.password)", e);
            }
            throw new ConnectorException(c.prefix() + ": cannot read archive " + archive + ": "
                    + BaseConnector.mask(e.getMessage(), password), e);
        }
    }
}
