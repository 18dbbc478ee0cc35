package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Driver {@code os}: the system's Info-ZIP {@code zip} and {@code unzip} ({@code config.zip_cmd} /
 * {@code unzip_cmd}, {@code quiet} default true). Passwords use ZipCrypto and are passed with
 * {@code -P} (visible in the process list while the tool runs: prefer the aes driver).
 */
final class OsZipConnector extends ToolConnector {

    private final String zipCmd;
    private final String unzipCmd;
    private final boolean quiet;

    OsZipConnector(ConnectorConfig cfg) {
        super(cfg);
        this.zipCmd = settings.string("zip_cmd", "zip");
        this.unzipCmd = settings.string("unzip_cmd", "unzip");
        this.quiet = settings.bool("quiet", true);
        for (String c : List.of(zipCmd, unzipCmd)) {
            if (Tool.which(c) == null) {
                throw new ConnectorException("archive.os requires '" + c + "' on PATH (install the zip and unzip "
                        + "packages, or set config.zip_cmd/unzip_cmd)");
            }
        }
    }

    @Override
    void write(Path tmp, List<Source> sources, Path baseDir, String password, Compression compression)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(zipCmd));
        if (quiet) {
            cmd.add("-q");
        }
        cmd.add("-r");
        if (compression == Compression.STORED) {
            cmd.add("-0");
        }
        if (password != null) {
            cmd.add("-P");
            cmd.add(password);
        }
        cmd.add(tmp.toString());
        // names come from stdin (-@): no argument-length limit, no name read as an option
        cmd.add("-@");
        StringBuilder names = new StringBuilder();
        for (Source s : sources) {
            if (s.name().indexOf('\n') >= 0 || s.name().indexOf('\r') >= 0) {
                throw new ConnectorException(prefix() + ": file name with a line break cannot be passed to "
                        + zipCmd + ": " + SafeExtractor.printable(s.name()));
            }
            names.append(s.name()).append('\n');
        }
        Path list = Files.createTempFile("aetherflow-zip-", ".names");
        try {
            Files.writeString(list, names, StandardCharsets.UTF_8);
            Tool.Outcome o = Tool.run(cmd, baseDir, list, timeoutSeconds, null, 0, null);
            if (o.exit() != 0) {
                throw failure(zipCmd, o, password, tmp);
            }
        } finally {
            Files.deleteIfExists(list);
        }
    }

    @Override
    List<String> extract(Path archive, Path staging, String password, boolean overwrite, List<String> members)
            throws IOException {
        prescan(archive, password, members);
        List<String> cmd = new ArrayList<>(List.of(unzipCmd));
        if (quiet) {
            cmd.add("-q");
        }
        cmd.add(overwrite ? "-o" : "-n");
        // never prompt: without a password unzip gets an empty one and fails instead of waiting for a tty
        cmd.add("-P");
        cmd.add(password == null ? "" : password);
        cmd.add(archive.toString());
        cmd.addAll(members);
        cmd.add("-d");
        cmd.add(staging.toString());
        Tool.Outcome o = Tool.run(cmd, staging.getParent(), null, timeoutSeconds, staging, limitBytes(),
                safety.bomb(archive, "it extracts to more than max_total_bytes " + limitBytes() + " bytes"));
        if (o.exit() == 82 || (password != null && o.output().contains("incorrect password"))) {
            throw new ConnectorException(prefix() + ": wrong password for archive " + archive
                    + " (check inputs.password)");
        }
        if (o.exit() != 0 && o.exit() != 1) {
            throw failure(unzipCmd, o, password, archive);
        }
        return safety.inspect(archive, staging);
    }
}
