package org.linkboard.server.plugins;

import org.linkboard.api.LinkboardModule;
import org.pf4j.ExtensionPoint;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a real plugin jar in a test's temp dir: compiles Java sources against the plugin API only
 * (api, PF4J, slf4j: exactly what a plugin developer has), writes PF4J's extension index and a
 * manifest. So tests load plugins the way the server does, through their own class loaders.
 */
public final class PluginJar {

    private final String id;
    private String version = "1.0.0";
    private String requires = "1.0.0";
    private String description = "a test plugin";
    private String extension;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private boolean manifestId = true;

    private PluginJar(String id) {
        this.id = id;
    }

    public static PluginJar of(String id) {
        return new PluginJar(id);
    }

    PluginJar version(String v) { this.version = v; return this; }
    PluginJar requires(String r) { this.requires = r; return this; }
    PluginJar withoutPluginId() { this.manifestId = false; return this; }

    /** The module class: its fully qualified name and source. It is listed in extensions.idx. */
    PluginJar module(String className, String source) {
        this.extension = className;
        sources.put(className, source);
        return this;
    }

    PluginJar source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    PluginJar resource(String path, String text) {
        resources.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A module class in package {@code test.<id>} whose body is {@code body}. */
    static String moduleSource(String pkg, String simpleName, String imports, String body) {
        return "package " + pkg + ";\n"
                + "import org.linkboard.api.*;\nimport java.util.*;\n" + imports + "\n"
                + "@org.pf4j.Extension\npublic class " + simpleName + " implements LinkboardModule {\n" + body + "\n}\n";
    }

    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve(id + "-" + version + ".jar");
        Files.write(jar, bytes());
        return jar;
    }

    byte[] bytes() throws IOException {
        Map<String, byte[]> classes = compile();
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (manifestId) a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", version);
        if (requires != null) a.putValue("Plugin-Requires", requires);
        a.putValue("Plugin-Description", description);
        a.putValue("Plugin-Provider", "Linkboard tests");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
                jar.write(e.getValue());
                jar.closeEntry();
            }
            if (extension != null) {
                jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                jar.write((extension + "\n").getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : resources.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private Map<String, byte[]> compile() throws IOException {
        if (sources.isEmpty()) return Map.of();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, src) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return src;
            }
        }));
        try (StandardJavaFileManager std = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            std.setLocationFromPaths(StandardLocation.CLASS_PATH, apiClassPath());
            javax.tools.ForwardingJavaFileManager<StandardJavaFileManager> fm = new javax.tools.ForwardingJavaFileManager<>(std) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                           javax.tools.FileObject sibling) {
                    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            ByteArrayOutputStream b = new ByteArrayOutputStream();
                            out.put(className, b);
                            return b;
                        }
                    };
                }
            };
            StringWriter diagnostics = new StringWriter();
            boolean ok = javac.getTask(diagnostics, fm, null, List.of("-proc:none", "--release", "17"), null, units).call();
            if (!ok) throw new IllegalStateException("test plugin does not compile:\n" + diagnostics);
        }
        return out.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toByteArray(),
                (x, y) -> x, LinkedHashMap::new));
    }

    /** What a plugin developer compiles against: the API jar, PF4J and slf4j-api; no server. */
    private static List<Path> apiClassPath() {
        return Stream.of(LinkboardModule.class, ExtensionPoint.class, org.slf4j.Logger.class)
                .map(PluginJar::location)
                .distinct()
                .toList();
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
