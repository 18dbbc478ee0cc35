package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.ArchiveConnector;
import io.aetherflow.api.connector.archive.Compression;
import io.aetherflow.api.connector.archive.ZipCreated;
import io.aetherflow.api.connector.archive.ZipExtracted;
import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every archive driver shares: the base_dir rule and archive names, {@code <output>.tmp} then
 * rename, staged and checked extraction.
 */
abstract class BaseConnector implements ArchiveConnector {

    final ConnectorConfig cfg;
    final Settings settings;
    final SafeExtractor safety;

    BaseConnector(ConnectorConfig cfg) {
        this.cfg = cfg;
        this.settings = new Settings(cfg);
        this.safety = new SafeExtractor(settings.prefix(), settings.limits());
    }

    @Override
    public ConnectorConfig config() {
        return cfg;
    }

    String prefix() {
        return settings.prefix();
    }

    /** One file to archive with its POSIX name relative to base_dir. */
    record Source(Path file, String name, boolean directory) {
    }

    /** Checks the files against base_dir and names them. */
    List<Source> sources(List<Path> files, Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        List<Source> out = new ArrayList<>();
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            if (!abs.startsWith(base) || abs.equals(base)) {
                throw new ConnectorException("File '" + abs + "' is outside base_dir '" + base + "'");
            }
            if (!Files.exists(abs)) {
                throw new ConnectorException(prefix() + ": file '" + abs + "' does not exist");
            }
            String name = base.relativize(abs).toString().replace('\\', '/');
            out.add(new Source(abs, name, Files.isDirectory(abs)));
        }
        return out;
    }

    /** Prepares {@code <output>.tmp}: parent created, a stale temp file removed, overwrite honoured. */
    Path tempFor(Path output, boolean overwrite) {
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new ConnectorException(prefix() + ": " + output + " exists and overwrite is false "
                        + "(set overwrite: true or choose another dest_path)");
            }
            if (Files.isDirectory(output)) {
                throw new ConnectorException(prefix() + ": " + output + " is a directory, not an archive path");
            }
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
        try {
            if (output.getParent() != null) {
                Files.createDirectories(output.getParent());
            }
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new ConnectorException(prefix() + ": cannot prepare " + tmp + ": " + e.getMessage(), e);
        }
        return tmp;
    }

    /** Renames the finished temp file over the output. */
    static void commit(Path tmp, Path output) throws IOException {
        FileTrees.moveOver(tmp, output);
    }

    @Override
    public final ZipCreated createZip(Path output, List<Path> files, Path baseDir, String password,
            Compression compression, boolean overwrite) {
        Path out = output.toAbsolutePath().normalize();
        String pw = password == null || password.isEmpty() ? null : password;
        List<Source> sources = sources(files, baseDir);
        Path tmp = tempFor(out, overwrite);
        try {
            write(tmp, sources, baseDir.toAbsolutePath().normalize(), pw,
                    compression == null ? Compression.DEFLATED : compression);
            commit(tmp, out);
        } catch (IOException e) {
            throw new ConnectorException(prefix() + ": cannot write " + out + ": " + mask(e.getMessage(), pw), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // the temp file stays visible next to the output; nothing else to do
            }
        }
        return new ZipCreated(out, sources.size(), pw != null, cfg.driver());
    }

    @Override
    public final ZipExtracted extractZip(Path archive, Path destDir, String password, boolean overwrite,
            List<String> members) {
        Path arc = archive.toAbsolutePath().normalize();
        Path dest = destDir.toAbsolutePath().normalize();
        String pw = password == null || password.isEmpty() ? null : password;
        if (!Files.isRegularFile(arc)) {
            throw new ConnectorException(prefix() + ": archive " + arc + " does not exist or is not a file");
        }
        Path staging = null;
        try {
            staging = SafeExtractor.staging(dest);
            List<String> names = extract(arc, staging, pw, overwrite, members == null ? List.of() : members);
            List<String> placed = safety.promote(staging, dest, names, overwrite);
            return new ZipExtracted(dest, placed, pw != null, cfg.driver());
        } catch (IOException e) {
            throw new ConnectorException(prefix() + ": cannot extract " + arc + " to " + dest + ": "
                    + mask(String.valueOf(e.getMessage()), pw), e);
        } finally {
            SafeExtractor.deleteTree(staging);
        }
    }

    /**
     * Writes the archive to {@code tmp}.
     *
     * @param password null for none
     */
    abstract void write(Path tmp, List<Source> sources, Path baseDir, String password, Compression compression)
            throws IOException;

    /**
     * Extracts into the (empty) staging directory, with all safety checks.
     *
     * @param password null for none
     * @return entry names as {@link SafeExtractor#promote} takes them
     */
    abstract List<String> extract(Path archive, Path staging, String password, boolean overwrite, List<String> members)
            throws IOException;

    /** Replaces the password in a text with {@code ***}. */
    static String mask(String text, String password) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "***");
    }
}
