package org.linkboard.server.plugins;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.BoardTemplate;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.HookResult;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.ModuleContext;
import org.linkboard.api.ModuleRoute;
import org.linkboard.api.OpContext;
import org.linkboard.api.OpView;
import org.linkboard.api.RouteRequest;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.UserView;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.Store;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The modules of this server: loads plugin jars from the plugins dir with PF4J, keeps each
 * module's state, runs its hooks, listeners and routes with containment, and lets an
 * administrator install, start, stop, replace and unload plugins at runtime.
 *
 * <h2>Threading</h2>
 * Hot-path reads ({@link #itemType}, {@link #module}, {@link #concerns}, {@link #checkOp},
 * {@link #applied}) are lock-free and safe from any thread, event loops included; module code
 * always runs on the module's own worker pool through {@link HookRunner}. Administrative changes
 * (load, start, stop, install, unload) are serialised: PF4J is not thread-safe, and a start racing
 * an unload of the same module would leave nonsense behind. Every returned future completes on
 * the caller's context.
 *
 * <h2>Lifecycle</h2>
 * Created by the server at start-up; {@link #start()} loads and starts every plugin in the plugins
 * dir (a plugin that fails is recorded as FAILED, the others go on); {@link #close()} stops them
 * all at shutdown.
 */
public final class ModuleHost {

    private static final Logger log = LoggerFactory.getLogger(ModuleHost.class);

    /** Plugin ids appear in URLs and in item types ({@code id:type}): keep them plain. */
    static final Pattern MODULE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern TYPE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

    private final Vertx vertx;
    private final ModuleHostOptions options;
    private final ModuleEnablement enablement;
    private final ModuleSettings settings;
    private final ModulePluginManager pf4j;
    private final WorkerExecutor adminPool;
    private final HookRunner runner;
    private final Map<String, InstalledModule> modules = new ConcurrentHashMap<>();
    private volatile Map<String, ItemTypeSpec> typeIndex = Map.of();
    private volatile BoardAccess boards = BoardAccess.UNAVAILABLE;
    private Future<?> adminTail = Future.succeededFuture();

    public ModuleHost(Vertx vertx, ModuleHostOptions options, Store store, UnitDirectory units) {
        this.vertx = vertx;
        this.options = options;
        this.enablement = new ModuleEnablement(store, units);
        this.settings = new ModuleSettings(store, units);
        this.pf4j = new ModulePluginManager(options.pluginsDir());
        // One thread: PF4J calls and plugin file I/O happen one at a time, in order.
        this.adminPool = vertx.createSharedWorkerExecutor("linkboard-plugin-admin", 1, 5, TimeUnit.MINUTES);
        this.runner = new HookRunner(options.failureThreshold(), this::tooManyFailures, options.hookObserver());
    }

    /** Per-unit enablement (inherited down the unit tree). */
    public ModuleEnablement enablement() {
        return enablement;
    }

    /** Per-unit module settings. */
    public ModuleSettings settings() {
        return settings;
    }

    public ModuleHostOptions options() {
        return options;
    }

    /**
     * Gives modules access to boards (read, submit follow-ups). Until called, modules' board reads
     * and submits fail with UNAVAILABLE. Called once by the server when the board engine is up.
     */
    public void useBoardAccess(BoardAccess access) {
        this.boards = access == null ? BoardAccess.UNAVAILABLE : access;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    /** Loads enablement, then loads and starts every plugin in the plugins dir. Never fails for a bad plugin. */
    public Future<Void> start() {
        return enablement.reload().compose(v -> serial(() -> adminPool.executeBlocking(this::pluginFiles, false)
                .compose(files -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Path file : files) {
                        chain = chain.compose(x -> loadAndStart(file).mapEmpty());
                    }
                    return chain;
                })));
    }

    /** Stops every module and releases every plugin jar. */
    public Future<Void> close() {
        return serial(() -> {
            Future<Void> chain = Future.succeededFuture();
            for (InstalledModule m : new ArrayList<>(modules.values())) {
                chain = chain.compose(x -> stopModule(m, ModuleState.STOPPED, null));
            }
            return chain.compose(x -> adminPool.executeBlocking(() -> {
                pf4j.stopPlugins();
                pf4j.unloadPlugins();
                return null;
            }, false)).eventually(adminPool::close).mapEmpty();
        });
    }

    // ---- queries --------------------------------------------------------------------------------

    /** Every known module, by id. */
    public List<InstalledModule> modules() {
        List<InstalledModule> all = new ArrayList<>(modules.values());
        all.sort(Comparator.comparing(InstalledModule::id));
        return all;
    }

    /** The module with that id, or null. */
    public InstalledModule module(String moduleId) {
        return moduleId == null ? null : modules.get(moduleId);
    }

    /** The {@code GET /api/modules} answer. */
    public List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        modules().forEach(m -> out.add(m.describe()));
        return out;
    }

    /**
     * The spec of a module item type {@code moduleId:typeId}, or null. Types of every loaded module
     * are known, started or not, so that items of a stopped module stay readable and changes to
     * them are refused with MODULE_DISABLED (by {@link #checkOp}) rather than as an unknown type.
     */
    public ItemTypeSpec itemType(String qualifiedType) {
        return qualifiedType == null ? null : typeIndex.get(qualifiedType);
    }

    /** The module part of {@code moduleId:typeId}, or null for a built-in type. */
    public static String moduleOf(String type) {
        if (type == null) return null;
        int i = type.indexOf(':');
        return i <= 0 ? null : type.substring(0, i);
    }

    /** Whether an op on an item of this type needs {@link #checkOp}: module types only. Fast. */
    public boolean concerns(String type) {
        return moduleOf(type) != null;
    }

    /** The class loader of a loaded plugin, or null (for assets and tests). */
    ClassLoader classLoader(String moduleId) {
        PluginWrapper w = pf4j.getPlugin(moduleId);
        return w == null ? null : w.getPluginClassLoader();
    }

    // ---- operations -----------------------------------------------------------------------------

    /**
     * Decides whether an operation on a module item may go on: the module must be enabled for the
     * board's unit and running (else MODULE_DISABLED; a {@code delete} is let through without
     * hooks so that units can clean up after switching a module off), then the module's validate
     * hook runs within its budget. Fails with the rejection; a hook failure follows the module's
     * failure policy. Ops on built-in types succeed at once.
     */
    public Future<Void> checkOp(OpContext op) {
        String moduleId = moduleOf(op.op().type());
        if (moduleId == null) return Future.succeededFuture();
        boolean delete = op.op().kind() == OpView.Kind.DELETE;
        if (!enablement.isEnabled(op.boardUnit(), moduleId)) {
            return delete ? Future.succeededFuture() : Future.failedFuture(new LinkboardException(ErrorCode.MODULE_DISABLED,
                    "module " + moduleId + " is not enabled for unit " + op.boardUnit(), Map.of("module", moduleId)));
        }
        InstalledModule m = modules.get(moduleId);
        if (m == null || m.state() != ModuleState.STARTED) {
            return delete ? Future.succeededFuture() : Future.failedFuture(new LinkboardException(ErrorCode.MODULE_DISABLED,
                    "module " + moduleId + " is not running", Map.of("module", moduleId)));
        }
        if (!m.validates()) return Future.succeededFuture();
        return runner.call(m, "validate", options.hookBudgetMs(), () -> m.module().validate(op))
                .transform(ar -> {
                    if (ar.succeeded()) {
                        HookResult r = ar.result();
                        return r == null || r.accepted() ? Future.succeededFuture() : Future.failedFuture(r.toException());
                    }
                    if (ar.cause() instanceof ModuleFailure && m.failurePolicy() == org.linkboard.api.FailurePolicy.FAIL_OPEN) {
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(ar.cause());
                });
    }

    /**
     * Tells the owning module about a durable operation on one of its items, if the module is
     * running and enabled for the board's unit. Returns at once; the listener runs later on the
     * module's pool, one call at a time per module. Never fails.
     */
    public void applied(AppliedOpEvent event) {
        String type = event.op().type();
        if (type == null && event.item() != null) type = event.item().type();
        String moduleId = moduleOf(type);
        if (moduleId == null) return;
        InstalledModule m = modules.get(moduleId);
        if (m == null || m.state() != ModuleState.STARTED || !m.listens()) return;
        if (!enablement.isEnabled(event.unit(), moduleId)) return;
        ModuleContext ctx = m.context;
        ListenerQueue queue = m.listenerQueue;
        if (ctx == null || queue == null) return;
        queue.submit(() -> {
            if (m.state() != ModuleState.STARTED) return Future.succeededFuture();
            return runner.call(m, "onApplied", options.hookBudgetMs(), () -> {
                m.module().onApplied(event, ctx);
                return null;
            }).otherwise(e -> null);
        });
    }

    // ---- routes and assets ----------------------------------------------------------------------

    /**
     * Answers a request to a module route ({@code path} relative to {@code /api/modules/{id}/}).
     * NOT_FOUND for an unknown module or path; MODULE_DISABLED when the module is not running;
     * the handler's own LinkboardException; INTERNAL when it throws; UNAVAILABLE past the route
     * budget. The enablement check for the caller's unit is done by {@link ModuleRoutes}.
     */
    public Future<RouteResponse> route(String moduleId, String method, String path, Map<String, List<String>> query,
                                       Object body, UserView user) {
        InstalledModule m = modules.get(moduleId);
        if (m == null) return Future.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no module " + moduleId));
        if (m.state() != ModuleState.STARTED) {
            return Future.failedFuture(new LinkboardException(ErrorCode.MODULE_DISABLED, "module " + moduleId + " is not running"));
        }
        for (ModuleRoute r : m.routes()) {
            if (!r.method().equalsIgnoreCase(method)) continue;
            Map<String, String> params = RoutePattern.match(r.path(), path);
            if (params == null) continue;
            RouteRequest req = new RouteRequest(method.toUpperCase(java.util.Locale.ROOT), path, params, query, body, user);
            Context caller = vertx.getOrCreateContext();
            long budget = options.routeBudgetMs();
            return runner.call(m, "route " + r.method() + " " + r.path(), budget, () -> r.handler().handle(req))
                    .compose(stage -> stage == null
                            ? Future.<RouteResponse>failedFuture(new IllegalStateException("route handler returned null"))
                            : Future.fromCompletionStage(stage, caller))
                    .timeout(budget, TimeUnit.MILLISECONDS)
                    .recover(failure -> {
                        // A stage built with thenApply/thenCompose wraps the real error.
                        Throwable e = failure;
                        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                                && e.getCause() != null) {
                            e = e.getCause();
                        }
                        if (e instanceof LinkboardException le) return Future.failedFuture(le);
                        if (e.getClass().getSimpleName().contains("Timeout")) {
                            return Future.failedFuture(new LinkboardException(ErrorCode.UNAVAILABLE,
                                    "module " + moduleId + " did not answer in time"));
                        }
                        log.warn("module {}: route {} {} failed", moduleId, r.method(), r.path(), e);
                        return Future.failedFuture(new LinkboardException(ErrorCode.INTERNAL, "module " + moduleId + " failed to answer"));
                    })
                    .compose(resp -> resp == null
                            ? Future.failedFuture(new LinkboardException(ErrorCode.INTERNAL, "module " + moduleId + " answered nothing"))
                            : Future.succeededFuture(resp));
        }
        return Future.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no such route in module " + moduleId));
    }

    /**
     * Reads a file under {@code web/} of a loaded plugin's jar (never the server's class path).
     * NOT_FOUND when absent or when the path tries to leave {@code web/}.
     */
    public Future<Buffer> asset(String moduleId, String path) {
        InstalledModule m = modules.get(moduleId);
        if (m == null || m.module() == null || !safeAssetPath(path)) {
            return Future.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no such asset"));
        }
        ClassLoader cl = classLoader(moduleId);
        if (!(cl instanceof PluginClassLoading.ModuleClassLoader mcl)) {
            return Future.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no such asset"));
        }
        return vertx.executeBlocking(() -> {
            URL url = mcl.ownResource("web/" + path);
            if (url == null) throw new LinkboardException(ErrorCode.NOT_FOUND, "no such asset");
            URLConnection conn = url.openConnection();
            // No cache: a cached JarFile would keep the plugin jar open after unload/replace.
            conn.setUseCaches(false);
            try (InputStream in = conn.getInputStream()) {
                return Buffer.buffer(in.readAllBytes());
            }
        }, false);
    }

    static boolean safeAssetPath(String path) {
        if (path == null || path.isEmpty() || path.length() > 256) return false;
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0")) return false;
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return false;
        }
        return true;
    }

    // ---- administration -------------------------------------------------------------------------

    /**
     * Installs a plugin file uploaded by an administrator, and starts it. The file must be a jar
     * (or a PF4J zip) whose manifest (or {@code plugin.properties}) names a valid Plugin-Id and
     * Plugin-Version; else VALIDATION_FAILED. A plugin with the same id fails with CONFLICT unless
     * {@code replace}, which stops and removes the old one first. The file is stored as
     * {@code <id>-<version>.jar} (the uploaded name plays no part, so names cannot escape the
     * plugins dir). Completes with the installed module, which may be FAILED with the reason.
     */
    public Future<InstalledModule> install(Buffer file, boolean replace) {
        PluginFacts facts;
        try {
            if (file == null || file.length() == 0) throw new LinkboardException(ErrorCode.BAD_REQUEST, "empty plugin file");
            if (file.length() > options.maxUploadBytes()) {
                throw new LinkboardException(ErrorCode.PAYLOAD_TOO_LARGE, "plugin file over " + options.maxUploadBytes() + " bytes");
            }
            facts = PluginFacts.read(file.getBytes());
        } catch (LinkboardException e) {
            return Future.failedFuture(e);
        }
        return serial(() -> {
            InstalledModule existing = modules.get(facts.id);
            if (existing != null && !replace) {
                return Future.failedFuture(new LinkboardException(ErrorCode.CONFLICT,
                        "plugin " + facts.id + " is already installed (use replace=true)", Map.of("module", facts.id)));
            }
            Future<Void> removed = existing == null ? Future.succeededFuture() : removeModule(existing);
            return removed
                    .compose(v -> adminPool.executeBlocking(() -> writePluginFile(facts, file), false))
                    .compose(this::loadAndStart);
        });
    }

    /** Starts a stopped or failed module (reloading its jar when it could not be loaded). NOT_FOUND if unknown. */
    public Future<InstalledModule> startModule(String moduleId) {
        return serial(() -> {
            InstalledModule m = modules.get(moduleId);
            if (m == null) return Future.failedFuture(notFound(moduleId));
            if (m.state() == ModuleState.STARTED) return Future.succeededFuture(m);
            if (m.module() == null) {
                return adminPool.executeBlocking(() -> {
                    unloadQuietly(moduleId);
                    return m.path();
                }, false).compose(path -> {
                    modules.remove(moduleId);
                    return loadAndStart(path);
                });
            }
            return startLoaded(m);
        });
    }

    /** Stops a running module: its items stay readable, changes to them get MODULE_DISABLED. */
    public Future<InstalledModule> stopModule(String moduleId) {
        return serial(() -> {
            InstalledModule m = modules.get(moduleId);
            if (m == null) return Future.failedFuture(notFound(moduleId));
            return stopModule(m, ModuleState.STOPPED, null).map(m);
        });
    }

    /** Stops the module, unloads the plugin and deletes its file. NOT_FOUND if unknown. */
    public Future<Void> unload(String moduleId) {
        return serial(() -> {
            InstalledModule m = modules.get(moduleId);
            if (m == null) return Future.failedFuture(notFound(moduleId));
            return removeModule(m);
        });
    }

    // ---- internals ------------------------------------------------------------------------------

    private static LinkboardException notFound(String moduleId) {
        return new LinkboardException(ErrorCode.NOT_FOUND, "no module " + moduleId);
    }

    /** Runs administrative steps one after another, whatever context they are requested from. */
    private <T> Future<T> serial(Supplier<Future<T>> step) {
        Promise<T> done = Promise.promise();
        synchronized (this) {
            adminTail = adminTail.transform(ignored -> {
                Future<T> f;
                try {
                    f = step.get();
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                return f.andThen(done).transform(x -> Future.succeededFuture());
            });
        }
        return done.future();
    }

    private List<Path> pluginFiles() throws IOException {
        Path dir = options.pluginsDir();
        if (!Files.isDirectory(dir)) {
            log.info("plugins dir {} does not exist: no modules", dir.toAbsolutePath());
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && FileUtils.isZipOrJarFile(p))
                    .sorted()
                    .toList();
        }
    }

    private Path writePluginFile(PluginFacts facts, Buffer file) throws IOException {
        Path dir = options.pluginsDir();
        Files.createDirectories(dir);
        Path target = dir.resolve(facts.id + "-" + facts.version + (facts.zip ? ".zip" : ".jar"));
        Path tmp = Files.createTempFile(dir, ".upload-", ".tmp");
        try {
            Files.write(tmp, file.getBytes());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private Future<InstalledModule> loadAndStart(Path file) {
        return adminPool.executeBlocking(() -> load(file), false).compose(m -> {
            InstalledModule clash = modules.get(m.id());
            if (clash != null) {
                log.error("plugin {} in {} has the id of the already loaded {}; ignored", m.id(), file, clash.path());
                return Future.succeededFuture(clash);
            }
            modules.put(m.id(), m);
            rebuildTypeIndex();
            if (m.state() == ModuleState.FAILED) {
                log.error("module {} FAILED: {}", m.id(), m.error());
                return Future.succeededFuture(m);
            }
            if (m.module() == null) return Future.succeededFuture(m);
            return startLoaded(m);
        });
    }

    /** Loads one plugin file into PF4J and instantiates its module. On the admin thread. Never throws. */
    private InstalledModule load(Path file) {
        PluginFacts facts = PluginFacts.readQuietly(file);
        Path path = file;
        String id;
        try {
            path = FileUtils.expandIfZip(file);
            id = pf4j.loadPlugin(path);
        } catch (Throwable e) {
            return InstalledModule.failed(facts.id, facts.version, facts.description, facts.provider, file,
                    "cannot load " + file.getFileName() + ": " + describe(e));
        }
        PluginWrapper w = pf4j.getPlugin(id);
        PluginDescriptor d = w.getDescriptor();
        String version = d.getVersion();
        if (!MODULE_ID.matcher(id).matches()) {
            unloadQuietly(id);
            return InstalledModule.failed(id, version, d.getPluginDescription(), d.getProvider(), file,
                    "Plugin-Id must match " + MODULE_ID.pattern());
        }
        if (w.getPluginState() == PluginState.DISABLED) {
            boolean byOperator = pf4j.operatorDisabled(id);
            unloadQuietly(id);
            return byOperator
                    ? InstalledModule.disabled(id, version, d.getPluginDescription(), d.getProvider(), file)
                    : InstalledModule.failed(id, version, d.getPluginDescription(), d.getProvider(), file,
                    ModulePluginManager.incompatibility(d));
        }
        try {
            PluginState s = pf4j.startPlugin(id);
            if (s != PluginState.STARTED) throw new IllegalStateException("PF4J left it " + s);
            LinkboardModule module = instantiate(id);
            InstalledModule.Declarations decl = declarations(module);
            return InstalledModule.loaded(id, version, d.getPluginDescription(), d.getProvider(), file, module, decl);
        } catch (Throwable e) {
            log.warn("plugin {} cannot be loaded", id, e);
            unloadQuietly(id);
            return InstalledModule.failed(id, version, d.getPluginDescription(), d.getProvider(), file, describe(e));
        }
    }

    /**
     * Creates the one LinkboardModule of a plugin ourselves rather than through PF4J's
     * getExtensions, which logs and skips an extension it cannot create: we want the real cause
     * (e.g. a NoClassDefFoundError for a server class) in the module's error.
     */
    private LinkboardModule instantiate(String id) throws Exception {
        ClassLoader cl = pf4j.getPluginClassLoader(id);
        List<Class<?>> found = new ArrayList<>();
        for (String name : pf4j.getExtensionClassNames(id)) {
            Class<?> c = Class.forName(name, true, cl);
            if (LinkboardModule.class.isAssignableFrom(c)) found.add(c);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("found " + found.size() + " LinkboardModule extensions, need exactly one"
                    + " (annotate the class with @org.pf4j.Extension and build with PF4J on the compile class path so"
                    + " that META-INF/extensions.idx is generated)");
        }
        try {
            return (LinkboardModule) found.get(0).getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static InstalledModule.Declarations declarations(LinkboardModule module) {
        Map<String, ItemTypeSpec> types = new LinkedHashMap<>();
        for (ItemTypeSpec t : nonNull(module.itemTypes())) {
            if (!TYPE_ID.matcher(t.id()).matches()) throw new IllegalArgumentException("item type id '" + t.id() + "' must match " + TYPE_ID.pattern());
            if (types.put(t.id(), t) != null) throw new IllegalArgumentException("item type '" + t.id() + "' declared twice");
        }
        List<FieldSpec> schema = nonNull(module.settingsSchema());
        Set<String> names = new HashSet<>();
        for (FieldSpec f : schema) {
            if (!names.add(f.name())) throw new IllegalArgumentException("setting '" + f.name() + "' declared twice");
        }
        List<ModuleRoute> routes = nonNull(module.routes());
        Set<String> keys = new HashSet<>();
        for (ModuleRoute r : routes) {
            if (!keys.add(r.method() + " " + r.path())) throw new IllegalArgumentException("route " + r.method() + " " + r.path() + " declared twice");
        }
        List<BoardTemplate> templates = nonNull(module.boardTemplates());
        return new InstalledModule.Declarations(module.name(), types, schema, templates, routes, module.webAssets(), module.failurePolicy());
    }

    private static <T> List<T> nonNull(List<T> l) {
        if (l == null) return List.of();
        for (T t : l) if (t == null) throw new IllegalArgumentException("a declaration list contains null");
        return l;
    }

    private Future<InstalledModule> startLoaded(InstalledModule m) {
        Map<String, Object> config;
        try {
            config = readConfig(m.id());
        } catch (RuntimeException e) {
            m.state(ModuleState.FAILED, "bad config " + m.id() + ".json: " + describe(e));
            return Future.succeededFuture(m);
        }
        m.executor = vertx.createSharedWorkerExecutor("linkboard-module-" + m.id(), options.hookThreadsPerModule(), 5, TimeUnit.MINUTES);
        ContextImpl ctx = new ContextImpl(m.id(), config);
        m.context = ctx;
        m.listenerQueue = new ListenerQueue(m.id());
        m.failuresInARow.set(0);
        return runner.call(m, "start", options.startBudgetMs(), () -> {
            m.module().start(ctx);
            return null;
        }).transform(ar -> {
            if (ar.succeeded()) {
                m.failuresInARow.set(0);
                m.state(ModuleState.STARTED, null);
                log.info("module {} {} started", m.id(), m.version());
                return Future.succeededFuture(m);
            }
            Throwable e = ar.cause();
            String why = e instanceof ModuleFailure mf ? mf.reason() : describe(e);
            m.state(ModuleState.FAILED, "start " + why);
            log.error("module {} FAILED: start {}", m.id(), why);
            ctx.closed = true;
            return closePool(m).map(m);
        });
    }

    /** Stops a module if it runs and leaves it in {@code target} (STOPPED, or FAILED with {@code error}). */
    private Future<Void> stopModule(InstalledModule m, ModuleState target, String error) {
        // Not running: nothing to stop, and a module an administrator just stopped must not be
        // relabelled FAILED by calls that were still in flight.
        if (m.state() != ModuleState.STARTED) return Future.succeededFuture();
        // State first: from here on no new hook, listener or route call starts.
        m.state(target, error);
        if (m.context instanceof ContextImpl c) c.closed = true;
        WorkerExecutor pool = m.executor;
        if (pool == null) return Future.succeededFuture();
        return pool.executeBlocking(() -> {
            m.module().stop();
            return null;
        }, false).timeout(options.startBudgetMs(), TimeUnit.MILLISECONDS).transform(ar -> {
            if (ar.failed()) log.warn("module {}: stop failed", m.id(), ar.cause());
            else log.info("module {} stopped ({})", m.id(), target);
            return closePool(m);
        });
    }

    private Future<Void> closePool(InstalledModule m) {
        WorkerExecutor pool = m.executor;
        m.executor = null;
        return pool == null ? Future.succeededFuture() : pool.close().otherwiseEmpty();
    }

    private Future<Void> removeModule(InstalledModule m) {
        return stopModule(m, ModuleState.STOPPED, null).compose(v -> adminPool.executeBlocking(() -> {
            unloadQuietly(m.id());
            Path p = m.path();
            if (p != null) {
                Files.deleteIfExists(p);
                if (FileUtils.isZipFile(p)) {
                    Path expanded = p.resolveSibling(p.getFileName().toString().replaceFirst("(?i)\\.zip$", ""));
                    if (Files.isDirectory(expanded)) FileUtils.delete(expanded);
                }
            }
            return null;
        }, false)).map(v -> {
            modules.remove(m.id(), m);
            rebuildTypeIndex();
            log.info("module {} unloaded", m.id());
            return null;
        });
    }

    private void unloadQuietly(String id) {
        try {
            if (pf4j.getPlugin(id) != null) pf4j.unloadPlugin(id);
        } catch (RuntimeException e) {
            log.warn("plugin {}: unload failed", id, e);
        }
    }

    private void tooManyFailures(InstalledModule m, String reason) {
        log.error("module {} is marked FAILED and stopped: {}", m.id(), reason);
        serial(() -> stopModule(m, ModuleState.FAILED, reason));
    }

    private void rebuildTypeIndex() {
        Map<String, ItemTypeSpec> idx = new HashMap<>();
        for (InstalledModule m : modules.values()) {
            m.itemTypes().forEach((local, spec) -> idx.put(m.id() + ":" + local, spec));
        }
        typeIndex = Map.copyOf(idx);
    }

    private Map<String, Object> readConfig(String id) {
        Path p = options.pluginsDir().resolve(id + ".json");
        if (!Files.isRegularFile(p)) return Map.of();
        try {
            return PlainJson.plainObject(new JsonObject(Files.readString(p)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getName() + (msg == null ? "" : ": " + msg);
    }

    /** The {@link ModuleContext} of one start of a module. */
    private final class ContextImpl implements ModuleContext {
        private final String moduleId;
        private final Map<String, Object> config;
        private final Logger logger;
        volatile boolean closed;

        ContextImpl(String moduleId, Map<String, Object> config) {
            this.moduleId = moduleId;
            this.config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
            this.logger = LoggerFactory.getLogger("linkboard.module." + moduleId);
        }

        private <T> CompletionStage<T> guarded(Supplier<Future<T>> work) {
            if (closed) {
                return Future.<T>failedFuture(new LinkboardException(ErrorCode.MODULE_DISABLED, "module " + moduleId + " is stopped"))
                        .toCompletionStage();
            }
            try {
                return work.get().toCompletionStage();
            } catch (RuntimeException e) {
                return Future.<T>failedFuture(e).toCompletionStage();
            }
        }

        @Override
        public String moduleId() {
            return moduleId;
        }

        @Override
        public CompletionStage<BoardView> board(String boardId) {
            return guarded(() -> boards.board(boardId));
        }

        @Override
        public CompletionStage<BoardView> board(String boardId, UserView reader) {
            return guarded(() -> boards.boardFor(boardId, reader));
        }

        @Override
        public CompletionStage<Long> submit(String boardId, Map<String, Object> op) {
            return guarded(() -> boards.submit(boardId, op, moduleId));
        }

        @Override
        public CompletionStage<Map<String, Object>> settings(String unitId) {
            return guarded(() -> settings.effective(unitId, moduleId));
        }

        @Override
        public Map<String, Object> config() {
            return config;
        }

        @Override
        public Logger logger() {
            return logger;
        }
    }

    /** Plugin-Id, version and friends read from an uploaded file before anything is written. */
    static final class PluginFacts {
        final String id;
        final String version;
        final String description;
        final String provider;
        final boolean zip;

        private PluginFacts(String id, String version, String description, String provider, boolean zip) {
            this.id = id;
            this.version = version;
            this.description = description;
            this.provider = provider;
            this.zip = zip;
        }

        static PluginFacts read(byte[] bytes) {
            if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4) {
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED, "not a jar or zip file", Map.of("field", "file"));
            }
            Manifest manifest = null;
            Properties props = null;
            int entries = 0;
            try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(bytes))) {
                ZipEntry e;
                while ((e = zin.getNextEntry()) != null && entries++ < 100_000) {
                    String n = e.getName();
                    if (n.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        manifest = new Manifest(new ByteArrayInputStream(zin.readNBytes(1 << 20)));
                    } else if (n.equals("plugin.properties")) {
                        props = new Properties();
                        props.load(new ByteArrayInputStream(zin.readNBytes(1 << 20)));
                    }
                }
            } catch (IOException | IllegalArgumentException ex) {
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED, "not a readable jar or zip file: " + ex.getMessage(), Map.of("field", "file"));
            }
            String id;
            String version;
            String description;
            String provider;
            boolean zip;
            if (manifest != null && manifest.getMainAttributes().getValue("Plugin-Id") != null) {
                Attributes a = manifest.getMainAttributes();
                id = a.getValue("Plugin-Id");
                version = a.getValue("Plugin-Version");
                description = a.getValue("Plugin-Description");
                provider = a.getValue("Plugin-Provider");
                zip = false;
            } else if (props != null && props.getProperty("plugin.id") != null) {
                id = props.getProperty("plugin.id");
                version = props.getProperty("plugin.version");
                description = props.getProperty("plugin.description");
                provider = props.getProperty("plugin.provider");
                zip = true;
            } else {
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        "no Plugin-Id in META-INF/MANIFEST.MF (nor plugin.id in plugin.properties)", Map.of("field", "Plugin-Id"));
            }
            id = id.trim();
            if (!MODULE_ID.matcher(id).matches()) {
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        "Plugin-Id must match " + MODULE_ID.pattern(), Map.of("field", "Plugin-Id"));
            }
            if (version == null || !VERSION.matcher(version.trim()).matches()) {
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED,
                        "Plugin-Version is missing or malformed", Map.of("field", "Plugin-Version"));
            }
            return new PluginFacts(id, version.trim(), description, provider, zip);
        }

        /** Best-effort facts of a file that may be broken: falls back to the file name. */
        static PluginFacts readQuietly(Path file) {
            try {
                return read(Files.readAllBytes(file));
            } catch (Exception e) {
                String name = file.getFileName().toString().replaceFirst("(?i)\\.(jar|zip)$", "");
                return new PluginFacts(name, null, null, null, false);
            }
        }
    }
}
