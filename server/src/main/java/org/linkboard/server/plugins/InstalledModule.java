package org.linkboard.server.plugins;

import io.vertx.core.WorkerExecutor;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.BoardTemplate;
import org.linkboard.api.FailurePolicy;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.ModuleContext;
import org.linkboard.api.ModuleRoute;
import org.linkboard.api.OpContext;
import org.linkboard.api.WebAssets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One plugin known to the {@link ModuleHost}: its manifest facts, the module's declarations (read
 * once at load), and its current state. A plugin that could not be loaded is kept as a FAILED
 * entry without a module, so {@code GET /api/modules} can say why.
 *
 * <p>Threading: the declarations are immutable; {@link #state()} and {@link #error()} are
 * volatile and change only on the host's admin thread (or when hooks fail too often), so any
 * thread may read them.
 */
public final class InstalledModule {

    private final String id;
    private final String version;
    private final String description;
    private final String provider;
    private final Path path;
    private final LinkboardModule module;
    private final String name;
    private final Map<String, ItemTypeSpec> itemTypes;
    private final List<FieldSpec> settingsSchema;
    private final List<BoardTemplate> templates;
    private final List<ModuleRoute> routes;
    private final WebAssets webAssets;
    private final FailurePolicy failurePolicy;
    private final boolean validates;
    private final boolean listens;

    private volatile ModuleState state;
    private volatile String error;
    volatile ModuleContext context;
    volatile WorkerExecutor executor;
    volatile ListenerQueue listenerQueue;
    final AtomicInteger failuresInARow = new AtomicInteger();

    private InstalledModule(String id, String version, String description, String provider, Path path,
                            LinkboardModule module, Declarations d, ModuleState state, String error) {
        this.id = id;
        this.version = version;
        this.description = description;
        this.provider = provider;
        this.path = path;
        this.module = module;
        this.name = d.name == null || d.name.isBlank() ? id : d.name;
        this.itemTypes = Collections.unmodifiableMap(new LinkedHashMap<>(d.itemTypes));
        this.settingsSchema = List.copyOf(d.settingsSchema);
        this.templates = List.copyOf(d.templates);
        this.routes = List.copyOf(d.routes);
        this.webAssets = d.webAssets == null ? WebAssets.NONE : d.webAssets;
        this.failurePolicy = d.failurePolicy == null ? FailurePolicy.FAIL_CLOSED : d.failurePolicy;
        this.validates = module != null && overrides(module, "validate", OpContext.class);
        this.listens = module != null && overrides(module, "onApplied", AppliedOpEvent.class, ModuleContext.class);
        this.state = state;
        this.error = error;
    }

    static InstalledModule loaded(String id, String version, String description, String provider, Path path,
                                  LinkboardModule module, Declarations d) {
        return new InstalledModule(id, version, description, provider, path, module, d, ModuleState.STOPPED, null);
    }

    static InstalledModule failed(String id, String version, String description, String provider, Path path, String error) {
        return new InstalledModule(id, version, description, provider, path, null, Declarations.NONE, ModuleState.FAILED, error);
    }

    static InstalledModule disabled(String id, String version, String description, String provider, Path path) {
        return new InstalledModule(id, version, description, provider, path, null, Declarations.NONE, ModuleState.DISABLED, null);
    }

    /** Whether the module class overrides a default method: if not, calling it is a wasted worker hop. */
    private static boolean overrides(LinkboardModule m, String method, Class<?>... params) {
        try {
            return m.getClass().getMethod(method, params).getDeclaringClass() != LinkboardModule.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    public String id() { return id; }
    public String name() { return name; }
    public String version() { return version; }
    public String description() { return description; }
    public String provider() { return provider; }
    /** The plugin file (or directory) it was loaded from. */
    public Path path() { return path; }
    public ModuleState state() { return state; }
    /** Why it is FAILED, else null. */
    public String error() { return error; }
    /** The module instance; null when the plugin could not be loaded. */
    public LinkboardModule module() { return module; }
    /** Item types by local id. */
    public Map<String, ItemTypeSpec> itemTypes() { return itemTypes; }
    public List<FieldSpec> settingsSchema() { return settingsSchema; }
    public List<BoardTemplate> boardTemplates() { return templates; }
    public List<ModuleRoute> routes() { return routes; }
    public WebAssets webAssets() { return webAssets; }
    public FailurePolicy failurePolicy() { return failurePolicy; }
    boolean validates() { return validates; }
    boolean listens() { return listens; }

    void state(ModuleState s, String err) {
        this.state = s;
        this.error = err;
    }

    /** The entry of {@code GET /api/modules} (CONTRACT §6). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("version", version);
        m.put("description", description == null ? "" : description);
        m.put("state", state.name());
        if (error != null) m.put("error", error);
        if (provider != null) m.put("provider", provider);
        List<Object> types = new ArrayList<>();
        itemTypes.values().forEach(t -> types.add(t.toMap()));
        m.put("itemTypes", types);
        List<Object> schema = new ArrayList<>();
        settingsSchema.forEach(f -> schema.add(f.toMap()));
        m.put("settingsSchema", schema);
        List<Object> ts = new ArrayList<>();
        templates.forEach(t -> ts.add(t.toMap()));
        m.put("boardTemplates", ts);
        if (webAssets.entry() != null) m.put("webEntry", "/api/modules/" + id + "/assets/" + webAssets.entry());
        return m;
    }

    /** What a module declares, read once at load. */
    record Declarations(String name, Map<String, ItemTypeSpec> itemTypes, List<FieldSpec> settingsSchema,
                        List<BoardTemplate> templates, List<ModuleRoute> routes, WebAssets webAssets,
                        FailurePolicy failurePolicy) {
        static final Declarations NONE = new Declarations(null, Map.of(), List.of(), List.of(), List.of(), WebAssets.NONE, FailurePolicy.FAIL_CLOSED);
    }
}
