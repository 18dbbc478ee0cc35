package io.aetherflow.launcher;

import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/** What an installed bundle's {@code DynamicImport-Package} names, and who exports it. */
final class DynamicImports {

    private DynamicImports() {
    }

    /**
     * @param b an installed bundle
     * @return the packages its dynamic imports name, exactly or as {@code prefix.*} (a bare {@code *} names nothing)
     */
    static List<String> patterns(Bundle b) {
        List<String> patterns = new ArrayList<>();
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return patterns;
        }
        for (BundleRequirement r : rev.getDeclaredRequirements(BundleRevision.PACKAGE_NAMESPACE)) {
            if ("dynamic".equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))) {
                String pkg = packageOf(r.getDirectives().get(Constants.FILTER_DIRECTIVE));
                if (pkg != null && !pkg.equals("*")) {
                    patterns.add(pkg);
                }
            }
        }
        return patterns;
    }

    /**
     * @param other an installed bundle
     * @param patterns from {@link #patterns}
     * @return true when it exports a package one of them names
     */
    static boolean exportsAny(Bundle other, List<String> patterns) {
        BundleRevision orev = other.adapt(BundleRevision.class);
        if (orev == null) {
            return false;
        }
        for (BundleCapability c : orev.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
            String exported = String.valueOf(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE));
            if (patterns.stream().anyMatch(p -> p.endsWith(".*") ? exported.startsWith(p.substring(0, p.length() - 1))
                    : p.equals(exported))) {
                return true;
            }
        }
        return false;
    }

    /** @return the package name of a dynamic import requirement's filter {@code (osgi.wiring.package=NAME)} */
    static String packageOf(String filter) {
        if (filter == null) {
            return null;
        }
        String key = "(" + BundleRevision.PACKAGE_NAMESPACE + "=";
        int i = filter.indexOf(key);
        if (i < 0) {
            return null;
        }
        int end = filter.indexOf(')', i);
        return end < 0 ? null : filter.substring(i + key.length(), end);
    }
}
