package io.aetherflow.runtime.template;

/**
 * One {@code {{...}}} token found by {@link TemplateResolver#scan(Object, String)}.
 *
 * @param loc where the string holding the token is, e.g. {@code jobs[0].steps[1].inputs.command}
 * @param root first path segment, e.g. {@code env}
 * @param path the whole (trimmed) path, e.g. {@code env.DB_URL}
 */
public record TemplateRef(String loc, String root, String path) {
}
