package io.aetherflow.itests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Waits for service registrations (SCR registers components asynchronously after bundle start). */
final class Services {

    private Services() {
    }

    /**
     * @return the references matching the filter, waiting up to 10 s for at least one
     */
    static <T> List<ServiceReference<T>> await(BundleContext ctx, Class<T> type, String filter)
            throws InvalidSyntaxException, InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Collection<ServiceReference<T>> refs = ctx.getServiceReferences(type, filter);
            if (!refs.isEmpty() || System.nanoTime() > end) {
                List<ServiceReference<T>> out = new ArrayList<>(refs);
                out.sort((a, b) -> b.compareTo(a)); // highest ranking first
                return out;
            }
            Thread.sleep(20);
        }
    }
}
