package org.linkboard.server.plugins;

import org.linkboard.api.LinkboardApi;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.pf4j.util.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * PF4J's manager configured for Linkboard: plugins get {@link PluginClassLoading} loaders, and
 * {@code Plugin-Requires} is checked against the plugin API version. Not thread-safe (PF4J is not):
 * only the {@link ModuleHost}'s admin thread calls it.
 */
final class ModulePluginManager extends DefaultPluginManager {

    private static final String PLAIN_VERSION = "\\d+\\.\\d+\\.\\d+";

    ModulePluginManager(Path pluginsDir) {
        super(pluginsDir);
        setSystemVersion(LinkboardApi.VERSION);
        // "1.0.0" in Plugin-Requires means "1.0.0 or newer", not "exactly 1.0.0".
        setExactVersionAllowed(false);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new ModulePluginLoader(this, ModulePluginManager.class.getClassLoader());
    }

    /**
     * PF4J reads a plain version as {@code >=version}; we also require the same major version,
     * because a new major API version may remove what the plugin was built against.
     */
    @Override
    protected boolean isPluginValid(PluginWrapper wrapper) {
        String requires = wrapper.getDescriptor().getRequires();
        if (requires != null && requires.trim().matches(PLAIN_VERSION)) {
            String major = requires.trim().split("\\.")[0];
            if (!major.equals(LinkboardApi.VERSION.split("\\.")[0])) return false;
        }
        return super.isPluginValid(wrapper);
    }

    /** Whether the operator switched the plugin off in the plugins dir's {@code disabled.txt}. */
    boolean operatorDisabled(String pluginId) {
        return isPluginDisabled(pluginId);
    }

    /** Why {@link #isPluginValid} refused a plugin, for the module list. */
    static String incompatibility(PluginDescriptor d) {
        return "requires Linkboard plugin API " + d.getRequires() + "; this server provides " + LinkboardApi.VERSION;
    }

    /** Loads jars and exploded plugin directories ({@code classes/}, {@code lib/*.jar}). */
    static final class ModulePluginLoader implements PluginLoader {
        private final PluginManager manager;
        private final ClassLoader parent;

        ModulePluginLoader(PluginManager manager, ClassLoader server) {
            this.manager = manager;
            this.parent = new PluginClassLoading.ApiOnlyParent(server);
        }

        @Override
        public boolean isApplicable(Path path) {
            return Files.exists(path) && (FileUtils.isJarFile(path) || Files.isDirectory(path));
        }

        @Override
        public ClassLoader loadPlugin(Path path, PluginDescriptor descriptor) {
            PluginClassLoading.ModuleClassLoader loader = new PluginClassLoading.ModuleClassLoader(manager, descriptor, parent);
            if (Files.isDirectory(path)) {
                Path classes = path.resolve("classes");
                if (Files.isDirectory(classes)) loader.addFile(classes.toFile());
                Path lib = path.resolve("lib");
                if (Files.isDirectory(lib)) {
                    try (Stream<Path> jars = Files.list(lib)) {
                        jars.filter(FileUtils::isJarFile).sorted().forEach(j -> loader.addFile(j.toFile()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else {
                loader.addFile(path.toFile());
            }
            return loader;
        }
    }
}
