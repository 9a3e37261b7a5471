package org.linkboard.server.plugins;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the {@link ModuleHost}. Mutable builder-style setters; read once when the host is
 * created.
 */
public final class ModuleHostOptions {

    private Path pluginsDir = bundledPluginsDir();
    private long hookBudgetMs = 200;
    private long startBudgetMs = 10_000;
    private long routeBudgetMs = 10_000;
    private int failureThreshold = 5;
    private int hookThreadsPerModule = 4;
    private long maxUploadBytes = 32L * 1024 * 1024;
    private long enablementRefreshMs = 0;
    private HookObserver hookObserver = HookObserver.NONE;

    /**
     * The bundled plugins of this build: the {@code plugins/} folder beside {@code linkboard.jar}
     * (or beside {@code classes/} when run from the build tree), i.e. {@code server/target/plugins},
     * where the plugin modules' builds copy their jars. The default of {@code --plugins-dir}.
     */
    public static Path bundledPluginsDir() {
        try {
            Path here = Path.of(ModuleHostOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = here.getParent();
            return parent == null ? Path.of("plugins") : parent.resolve("plugins");
        } catch (Exception e) {
            return Path.of("plugins");
        }
    }

    /** Who is told the time and outcome of every hook call (metrics). */
    public HookObserver hookObserver() { return hookObserver; }
    public ModuleHostOptions hookObserver(HookObserver o) { this.hookObserver = Objects.requireNonNull(o); return this; }

    /** Where plugin jars are loaded from and uploads are written to. */
    public Path pluginsDir() { return pluginsDir; }
    public ModuleHostOptions pluginsDir(Path dir) { this.pluginsDir = Objects.requireNonNull(dir); return this; }

    /** Budget of one validate or onApplied call (CONTRACT §6: default 200 ms). */
    public long hookBudgetMs() { return hookBudgetMs; }
    public ModuleHostOptions hookBudgetMs(long ms) { this.hookBudgetMs = positive(ms); return this; }

    /** Budget of a module's start and stop. */
    public long startBudgetMs() { return startBudgetMs; }
    public ModuleHostOptions startBudgetMs(long ms) { this.startBudgetMs = positive(ms); return this; }

    /** Budget of one module route answer. */
    public long routeBudgetMs() { return routeBudgetMs; }
    public ModuleHostOptions routeBudgetMs(long ms) { this.routeBudgetMs = positive(ms); return this; }

    /** Hook failures in a row after which the module is marked FAILED and stopped. */
    public int failureThreshold() { return failureThreshold; }
    public ModuleHostOptions failureThreshold(int n) { this.failureThreshold = (int) positive(n); return this; }

    /**
     * Worker threads per module. Each module has its own pool so that a module whose hooks hang
     * exhausts only its own threads, never another module's or the server's.
     */
    public int hookThreadsPerModule() { return hookThreadsPerModule; }
    public ModuleHostOptions hookThreadsPerModule(int n) { this.hookThreadsPerModule = (int) positive(n); return this; }

    /** Largest plugin file accepted by an upload. */
    public long maxUploadBytes() { return maxUploadBytes; }
    public ModuleHostOptions maxUploadBytes(long n) { this.maxUploadBytes = positive(n); return this; }

    /**
     * How often the in-memory copy of module enablement is re-read from the store; 0 (default)
     * never. Cluster mode sets it, so that one node's PUT reaches the others.
     */
    public long enablementRefreshMs() { return enablementRefreshMs; }
    public ModuleHostOptions enablementRefreshMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("must not be negative: " + ms);
        this.enablementRefreshMs = ms;
        return this;
    }

    private static long positive(long v) {
        if (v <= 0) throw new IllegalArgumentException("must be positive: " + v);
        return v;
    }
}
