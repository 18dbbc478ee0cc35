package io.aetherflow.connectors.mail;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The thread context class loader used around every Jakarta Mail call. Jakarta Mail and Jakarta
 * Activation find their implementations (the {@code smtp} provider, {@code StreamProvider}, mailcap
 * and MIME-type registries, {@code META-INF/jakarta.*} files) through the context class loader,
 * which in OSGi sees neither angus-mail nor angus-activation. This loader answers classes and
 * resources from the angus-mail, angus-activation and API bundles (outside OSGi: the class path).
 */
final class MailClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final List<ClassLoader> delegates;

    private MailClassLoader(List<ClassLoader> delegates) {
        super(null);
        this.delegates = delegates;
    }

    /** @return a loader over the Angus and Jakarta bundles this bundle is wired to */
    static MailClassLoader create() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        add(loaders, org.eclipse.angus.mail.smtp.SMTPTransport.class);
        add(loaders, org.eclipse.angus.activation.MailcapRegistryProviderImpl.class);
        add(loaders, jakarta.mail.Session.class);
        add(loaders, jakarta.activation.DataHandler.class);
        add(loaders, MailClassLoader.class);
        return new MailClassLoader(List.copyOf(loaders));
    }

    private static void add(Set<ClassLoader> loaders, Class<?> type) {
        ClassLoader cl = type.getClassLoader();
        if (cl != null) {
            loaders.add(cl);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader cl : delegates) {
            try {
                return cl.loadClass(name);
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // try the next bundle
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader cl : delegates) {
            URL u = cl.getResource(name);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        Set<URL> all = new LinkedHashSet<>();
        for (ClassLoader cl : delegates) {
            all.addAll(Collections.list(cl.getResources(name)));
        }
        return Collections.enumeration(new ArrayList<>(all));
    }
}
