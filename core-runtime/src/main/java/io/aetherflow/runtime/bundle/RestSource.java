package io.aetherflow.runtime.bundle;

import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import io.aetherflow.api.support.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code rest} source, implementing the reference's documented contract (its own code is broken,
 * SPEC §4 row 10) through the {@link HttpConnector} of a {@code kind: rest} resource:
 * {@code GET <list_path>?bundle=<b>&<prefix_param>=<base_path or "">} answers
 * {@code {"files":[{"path","sha256","size","mtime"}...]}}; {@code GET <fetch_path>?bundle=<b>&path=<rel>}
 * answers the raw bytes. Any status outside 2xx is an error.
 */
final class RestSource implements BundleSource {

    private final HttpConnector http;
    private final String bundle;
    private final String base;
    private final String listPath;
    private final String fetchPath;
    private final String prefixParam;

    RestSource(HttpConnector http, String bundle, String basePath, String listPath, String fetchPath,
            String prefixParam) {
        this.http = http;
        this.bundle = bundle;
        this.base = basePath == null ? "" : basePath;
        this.listPath = listPath == null || listPath.isEmpty() ? "/list" : listPath;
        this.fetchPath = fetchPath == null || fetchPath.isEmpty() ? "/fetch" : fetchPath;
        this.prefixParam = prefixParam == null || prefixParam.isEmpty() ? "prefix" : prefixParam;
    }

    @Override
    public String type() {
        return "rest";
    }

    @Override
    public String basePath() {
        return base;
    }

    @Override
    public List<BundleFile> list() throws Exception {
        HttpReply reply = get(listPath, "bundle", bundle, prefixParam, base);
        Object payload;
        try {
            payload = Json.parse(reply.text());
        } catch (IllegalArgumentException e) {
            throw new IOException("rest source: " + reply.uri() + " did not answer JSON: " + e.getMessage(), e);
        }
        Object files = payload instanceof Map<?, ?> m ? m.get("files") : null;
        if (files != null && !(files instanceof List<?>)) {
            throw new IOException("rest source: " + reply.uri() + ": 'files' must be a list");
        }
        List<BundleFile> out = new ArrayList<>();
        for (Object o : files == null ? List.of() : (List<?>) files) {
            if (!(o instanceof Map<?, ?> f) || f.get("path") == null) {
                throw new IOException("rest source: " + reply.uri() + ": every entry of 'files' needs a 'path'");
            }
            Object sha = f.get("sha256");
            out.add(new BundleFile(String.valueOf(f.get("path")), String.valueOf(f.get("path")), longOf(f.get("size")),
                    doubleOf(f.get("mtime")), sha == null || "".equals(sha) ? null : sha.toString()));
        }
        out.sort(Fingerprint.BY_PATH);
        return out;
    }

    @Override
    public String fullPath(String relPath) {
        return relPath;
    }

    @Override
    public byte[] read(String relPath) throws Exception {
        return get(fetchPath, "bundle", bundle, "path", relPath).body();
    }

    private HttpReply get(String path, String k1, String v1, String k2, String v2) throws IOException,
            InterruptedException {
        String target = path + (path.contains("?") ? "&" : "?") + enc(k1) + "=" + enc(v1) + "&" + enc(k2) + "="
                + enc(v2);
        HttpReply reply = http.request(HttpCall.of("GET", target));
        if (reply.status() < 200 || reply.status() > 299) {
            throw new IOException("rest source: GET " + reply.uri() + " answered HTTP " + reply.status());
        }
        return reply;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Long longOf(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(Long.parseLong(v.toString().trim()));
    }

    static Double doubleOf(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(v.toString().trim());
    }
}
