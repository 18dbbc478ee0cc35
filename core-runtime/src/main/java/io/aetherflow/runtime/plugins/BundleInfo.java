package io.aetherflow.runtime.plugins;

/**
 * An installed bundle.
 *
 * @param symbolicName symbolic name
 * @param version version
 * @param state {@code ACTIVE}, {@code RESOLVED}, ...
 * @param location install location
 */
public record BundleInfo(String symbolicName, String version, String state, String location) {
}
