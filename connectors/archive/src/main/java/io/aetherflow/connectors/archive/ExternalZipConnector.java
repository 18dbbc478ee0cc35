package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.Compression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Driver {@code external}: templated commands, e.g. 7z. {@code config.zip_cmd} and
 * {@code config.unzip_cmd} are lists of tokens with Python-format placeholders: {@code {archive}},
 * {@code {dest}}, {@code {password}}, {@code {base_dir}}, {@code {files}} (a token exactly
 * {@code {files}} becomes one argument per file); literal braces are doubled. Creation runs in
 * base_dir; extraction goes to a staging directory that is checked before anything reaches the
 * destination.
 */
final class ExternalZipConnector extends ToolConnector {

    private static final Set<String> ZIP_KEYS = Set.of("archive", "dest", "password", "base_dir", "files");
    private static final Set<String> UNZIP_KEYS = Set.of("archive", "dest", "password");

    private final List<String> zipCmd;
    private final List<String> unzipCmd;

    ExternalZipConnector(ConnectorConfig cfg) {
        super(cfg);
        this.zipCmd = settings.stringList("zip_cmd");
        this.unzipCmd = settings.stringList("unzip_cmd");
        // templates are checked now so that a typo fails before the first run
        if (zipCmd != null) {
            expand(zipCmd, Map.of("archive", "", "dest", "", "password", "", "base_dir", "", "files", ""), ZIP_KEYS,
                    List.of(), "zip_cmd");
        }
        if (unzipCmd != null) {
            expand(unzipCmd, Map.of("archive", "", "dest", "", "password", ""), UNZIP_KEYS, List.of(), "unzip_cmd");
        }
    }

    @Override
    void write(Path tmp, List<Source> sources, Path baseDir, String password, Compression compression)
            throws IOException {
        if (zipCmd == null) {
            throw new ConnectorException("archive.external requires config.zip_cmd (list[str])");
        }
        List<String> names = new ArrayList<>();
        for (Source s : sources) {
            names.add(s.name());
        }
        List<String> cmd = expand(zipCmd, Map.of("archive", tmp.toString(), "dest", "", "password",
                password == null ? "" : password, "base_dir", baseDir.toString(), "files", String.join(" ", names)),
                ZIP_KEYS, names, "zip_cmd");
        Tool.Outcome o = Tool.run(cmd, baseDir, null, timeoutSeconds, null, 0, null);
        if (o.exit() != 0) {
            throw failure(cmd.get(0), o, password, tmp);
        }
        if (!java.nio.file.Files.isRegularFile(tmp)) {
            throw new ConnectorException(prefix() + ": " + cmd.get(0) + " exited 0 but wrote no archive at {archive} ("
                    + tmp + "); check config.zip_cmd");
        }
    }

    @Override
    List<String> extract(Path archive, Path staging, String password, boolean overwrite, List<String> members)
            throws IOException {
        if (unzipCmd == null) {
            throw new ConnectorException("archive.external requires config.unzip_cmd (list[str])");
        }
        if (!members.isEmpty()) {
            throw new ConnectorException("archive.external currently does not support 'members' extraction");
        }
        prescan(archive, password, members);
        List<String> cmd = expand(unzipCmd, Map.of("archive", archive.toString(), "dest", staging.toString(),
                "password", password == null ? "" : password), UNZIP_KEYS, List.of(), "unzip_cmd");
        return runExtract(archive, cmd, staging.getParent(), staging, password);
    }

    /** Expands a Python-format command template. */
    List<String> expand(List<String> template, Map<String, String> values, Set<String> known, List<String> files,
            String key) {
        List<String> out = new ArrayList<>();
        for (String token : template) {
            if (token.equals("{files}") && known.contains("files")) {
                out.addAll(files);
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c == '{' && i + 1 < token.length() && token.charAt(i + 1) == '{') {
                    b.append('{');
                    i++;
                } else if (c == '}' && i + 1 < token.length() && token.charAt(i + 1) == '}') {
                    b.append('}');
                    i++;
                } else if (c == '{') {
                    int end = token.indexOf('}', i);
                    if (end < 0) {
                        throw new ConnectorException(prefix() + " config." + key + ": unmatched '{' in '" + token
                                + "' (double literal braces: {{ }})");
                    }
                    String name = token.substring(i + 1, end);
                    if (!known.contains(name)) {
                        throw new ConnectorException(prefix() + " config." + key + ": unknown placeholder {" + name
                                + "}; known: " + new java.util.TreeSet<>(known));
                    }
                    b.append(values.get(name));
                    i = end;
                } else if (c == '}') {
                    throw new ConnectorException(prefix() + " config." + key + ": single '}' in '" + token
                            + "' (double literal braces: {{ }})");
                } else {
                    b.append(c);
                }
            }
            out.add(b.toString());
        }
        if (out.isEmpty()) {
            throw new ConnectorException(prefix() + " config." + key + " expands to an empty command");
        }
        return out;
    }
}
