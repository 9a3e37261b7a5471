package org.linkboard.server.plugins;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loading rules that keep plugins to the API: a plugin sees the JDK, the plugin API
 * ({@code org.linkboard.api}), PF4J, slf4j, and its own jar; nothing else of the server's class
 * path (not {@code org.linkboard.server}, not Vert.x or Netty, not the server's libraries).
 *
 * <p>Why: a plugin that reaches into server internals breaks with every server release and can
 * bypass validation, scopes and durability; and a plugin that accidentally uses the server's copy
 * of a library breaks when the server upgrades it. With these rules such a plugin fails at load
 * with a {@link ClassNotFoundException}, in the developer's test, not in production.
 */
final class PluginClassLoading {

    /** Packages every plugin shares with the server (same Class objects), parent first. */
    static final List<String> SHARED = List.of("org.linkboard.api.", "org.pf4j.", "org.slf4j.");

    /** Packages a plugin may never load, not even from its own jar. */
    static final List<String> FORBIDDEN = List.of("org.linkboard.server.", "io.vertx.", "io.netty.");

    private PluginClassLoading() {
    }

    static boolean shared(String className) {
        for (String p : SHARED) if (className.startsWith(p)) return true;
        return false;
    }

    static boolean forbidden(String className) {
        for (String p : FORBIDDEN) if (className.startsWith(p)) return true;
        return false;
    }

    static boolean sharedResource(String path) {
        for (String p : SHARED) if (path.startsWith(p.replace('.', '/'))) return true;
        return false;
    }

    /**
     * The parent of every plugin class loader: the JDK's platform loader, plus the server's loader
     * for the shared packages only.
     */
    static final class ApiOnlyParent extends ClassLoader {
        private final ClassLoader server;

        ApiOnlyParent(ClassLoader server) {
            super("linkboard-plugin-parent", ClassLoader.getPlatformClassLoader());
            this.server = server;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (shared(name)) return server.loadClass(name);
            throw new ClassNotFoundException(name + " is not part of the Linkboard plugin API");
        }

        @Override
        protected URL findResource(String name) {
            return sharedResource(name) ? server.getResource(name) : null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return sharedResource(name) ? server.getResources(name) : Collections.emptyEnumeration();
        }
    }

    /**
     * A plugin's class loader: shared packages from the parent first (so a plugin that bundles the
     * API by mistake still gets the server's classes and no ClassCastException), forbidden
     * packages never, everything else from the plugin's jar first, then the JDK.
     */
    static final class ModuleClassLoader extends PluginClassLoader {

        ModuleClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
            super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
        }

        @Override
        public Class<?> loadClass(String className) throws ClassNotFoundException {
            if (forbidden(className)) {
                throw new ClassNotFoundException(className + ": plugins may only use org.linkboard.api, not server internals");
            }
            if (shared(className)) {
                return getParent().loadClass(className);
            }
            return super.loadClass(className);
        }

        /** A resource of the plugin's own jar only (never the server's): used to serve web assets. */
        URL ownResource(String name) {
            return findResource(name);
        }
    }
}
