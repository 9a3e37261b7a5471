package org.linkboard.testkit;

import io.vertx.core.json.JsonObject;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.HookResult;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.ItemView;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.ModuleContext;
import org.linkboard.api.ModuleRoute;
import org.linkboard.api.OpContext;
import org.linkboard.api.RouteRequest;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.UserView;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.ItemTypes;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.board.OpValidator;
import org.linkboard.server.plugins.BoardViews;
import org.linkboard.server.plugins.PlainJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs a module against one in-memory board, with the server's own board engine (the same
 * {@code BoardState} and validation as production), and no server, threads or network.
 *
 * <pre>{@code
 * ModuleTestKit kit = ModuleTestKit.of("example-checklist", new ChecklistModule());
 * kit.apply(Map.of("kind", "create", "id", "c1", "type", "example-checklist:checklist",
 *         "fields", Map.of("title", "Onboarding"))).assertAccepted();
 * assertEquals("Onboarding", kit.item("c1").field("title"));
 * }</pre>
 *
 * <p>{@link #apply} does what the server does for an op, in order: completes it (pos, first
 * stage), validates it against the item types (built-in and the module's), calls the module's
 * {@link LinkboardModule#validate} for ops on its items, applies it, then calls
 * {@link LinkboardModule#onApplied}; ops the module submits through its {@link ModuleContext}
 * are applied the same way, as the system user, after the listener returns. Hooks run on the
 * caller's thread without a time budget, and a hook that throws fails the op with INTERNAL
 * (the exception is the cause of {@link OpResult#error()}), as the server's FAIL_CLOSED does.
 * Permissions and enablement are not checked: the module is enabled for the kit's unit.
 *
 * <p>Not thread-safe: use one kit per test, from the test's thread.
 */
public final class ModuleTestKit implements AutoCloseable {

    /** Follow-ups in a row after which automation is assumed to loop forever. */
    static final int MAX_FOLLOW_UPS = 1_000;

    private final String moduleId;
    private final LinkboardModule module;
    private final String boardId = "test-board";
    private final String unit = "test-unit";
    private final ItemTypes types;
    private final OpValidator validator;
    private final BoardState state;
    private final KitContext context;
    private final Map<String, Map<String, Object>> settings = new HashMap<>();
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final List<AppliedOpEvent> applied = new ArrayList<>();
    private final Deque<Runnable> followUps = new ArrayDeque<>();
    private UserView user;
    private boolean applying;
    private long clock = 1_700_000_000_000L;

    private ModuleTestKit(String moduleId, LinkboardModule module, Map<String, Object> config) {
        this.moduleId = moduleId;
        this.module = module;
        this.config.putAll(config);
        Map<String, ItemTypeSpec> own = new LinkedHashMap<>();
        List<ItemTypeSpec> declared = module.itemTypes() == null ? List.of() : module.itemTypes();
        for (ItemTypeSpec t : declared) own.put(moduleId + ":" + t.id(), t);
        this.types = ItemTypes.of(own).orElse(ItemTypes.builtIn());
        this.validator = new OpValidator(types);
        this.state = new BoardState(boardId);
        this.user = new UserView("test-user", "Test User", unit, Set.of("editor"));
        this.context = new KitContext();
        module.start(context);
    }

    /** A kit for {@code module} under its plugin id (items of its types are {@code moduleId:typeId}). */
    public static ModuleTestKit of(String moduleId, LinkboardModule module) {
        return new ModuleTestKit(moduleId, module, Map.of());
    }

    /** A kit for {@code module} under {@code moduleId}, started with this operator configuration. */
    public static ModuleTestKit of(String moduleId, LinkboardModule module, Map<String, Object> config) {
        return new ModuleTestKit(moduleId, module, config);
    }

    /** A kit for {@code module} under the id {@code test}. */
    public static ModuleTestKit of(LinkboardModule module) {
        return of("test", module);
    }

    // ---- setup ----------------------------------------------------------------------------------

    /** Who makes the following ops and route calls (default: an editor of the kit's unit). */
    public ModuleTestKit as(UserView who) {
        this.user = who;
        return this;
    }

    /** The module's settings for the kit's unit, as {@link ModuleContext#settings} will return them. */
    public ModuleTestKit settings(Map<String, Object> values) {
        settings.put(unit, Map.copyOf(values));
        return this;
    }

    public String moduleId() { return moduleId; }
    public String boardId() { return boardId; }
    public String unit() { return unit; }
    /** {@code moduleId:typeId}. */
    public String type(String typeId) { return moduleId + ":" + typeId; }

    // ---- ops ------------------------------------------------------------------------------------

    /** Applies a JSON op (CONTRACT §4) as the current user; see the class comment for the steps. */
    public OpResult apply(Map<String, Object> op) {
        OpResult r = applyAs(op, user);
        drainFollowUps();
        return r;
    }

    /** Applies an op given as JSON text, e.g. {@code {"kind":"set","id":"c1","field":"done","value":true}}. */
    public OpResult apply(String opJson) {
        return apply(PlainJson.plainObject(new JsonObject(opJson)));
    }

    private OpResult applyAs(Map<String, Object> opMap, UserView by) {
        applying = true;
        try {
            Op op;
            try {
                op = OpCodec.decode(PlainJson.vertxObject(opMap));
            } catch (LinkboardException e) {
                return new OpResult(0, e);
            } catch (RuntimeException e) {
                return new OpResult(0, new LinkboardException(ErrorCode.BAD_REQUEST, String.valueOf(e.getMessage())));
            }
            Op completed = state.complete(op, types);
            try {
                validator.validate(state, completed);
            } catch (LinkboardException e) {
                return new OpResult(0, e);
            }
            String type = BoardViews.targetType(state, completed);
            boolean ours = type != null && type.startsWith(moduleId + ":");
            ItemView before = completed instanceof Op.Create ? null : BoardViews.item(state.item(completed.id()));
            if (ours) {
                OpContext ctx = new OpContext(boardId, unit, BoardViews.op(completed, type), before, by,
                        BoardViews.live(boardId, unit, state));
                HookResult verdict;
                try {
                    verdict = module.validate(ctx);
                } catch (LinkboardException e) {
                    return new OpResult(0, e);
                } catch (RuntimeException e) {
                    return new OpResult(0, new HookFailure(moduleId, e));
                }
                if (verdict != null && !verdict.accepted()) return new OpResult(0, verdict.toException());
            }
            long seq = state.version() + 1;
            state.apply(completed, seq);
            ItemView after = completed instanceof Op.Delete ? null : BoardViews.item(state.item(completed.id()));
            AppliedOpEvent event = new AppliedOpEvent(boardId, unit, seq, BoardViews.op(completed, type), by.id(), clock++, after);
            applied.add(event);
            if (ours) module.onApplied(event, context);
            return new OpResult(seq, null);
        } finally {
            applying = false;
        }
    }

    private void drainFollowUps() {
        int n = 0;
        while (!followUps.isEmpty()) {
            if (++n > MAX_FOLLOW_UPS) {
                followUps.clear();
                throw new AssertionError("more than " + MAX_FOLLOW_UPS + " follow-up ops in a row: does the listener react to its own follow-ups?");
            }
            followUps.poll().run();
        }
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** The item with that id now, or null. */
    public ItemView item(String id) {
        return BoardViews.item(state.item(id));
    }

    /** Every item now. */
    public Collection<ItemView> items() {
        return board().items();
    }

    /** A detached copy of the board now. */
    public BoardView board() {
        return BoardViews.detached(boardId, unit, state);
    }

    /** The board's version (seq of the last applied op). */
    public long version() {
        return state.version();
    }

    /** Every applied op so far, follow-ups included, in seq order. */
    public List<AppliedOpEvent> applied() {
        return Collections.unmodifiableList(applied);
    }

    // ---- routes and assets ----------------------------------------------------------------------

    /**
     * Calls a module route as the current user ({@code path} relative to
     * {@code /api/modules/{id}/}, may carry a query string) and waits for its answer. A route
     * that fails with a LinkboardException throws it; no route → NOT_FOUND.
     */
    public RouteResponse route(String method, String path, Object body) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        Map<String, List<String>> query = new LinkedHashMap<>();
        int q = p.indexOf('?');
        if (q >= 0) {
            for (String pair : p.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
            p = p.substring(0, q);
        }
        for (ModuleRoute r : module.routes()) {
            if (!r.method().equals(method.toUpperCase(Locale.ROOT))) continue;
            Map<String, String> params = match(r.path(), p);
            if (params == null) continue;
            RouteRequest req = new RouteRequest(r.method(), p, params, query, body, user);
            CompletionStage<RouteResponse> stage;
            try {
                stage = r.handler().handle(req);
            } catch (LinkboardException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("route handler threw", e);
            }
            drainFollowUps();
            try {
                return stage.toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | CompletionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                if (c instanceof LinkboardException le) throw le;
                throw new IllegalStateException("route failed", c);
            }
        }
        throw new LinkboardException(ErrorCode.NOT_FOUND, "no route " + method + " " + p);
    }

    /** A web asset of the module ({@code web/<path>} on its class path), as text; null when absent. */
    public String asset(String path) {
        try (InputStream in = module.getClass().getClassLoader().getResourceAsStream("web/" + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the module. */
    @Override
    public void close() {
        module.stop();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> match(String pattern, String path) {
        String[] pp = pattern.split("/", -1);
        String[] ss = path.split("/", -1);
        if (pp.length != ss.length) return null;
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pp.length; i++) {
            if (pp[i].startsWith(":") && pp[i].length() > 1) {
                if (ss[i].isEmpty()) return null;
                params.put(pp[i].substring(1), ss[i]);
            } else if (!pp[i].equals(ss[i])) {
                return null;
            }
        }
        return params;
    }

    /** INTERNAL, as the server answers a hook that throws; the module's exception is the cause. */
    static final class HookFailure extends LinkboardException {
        private final Throwable cause;

        HookFailure(String moduleId, Throwable cause) {
            super(ErrorCode.INTERNAL, "module " + moduleId + " failed in validate: " + cause);
            this.cause = cause;
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }

    /** The module's context in the kit: one board, synchronous stages. */
    private final class KitContext implements ModuleContext {
        private final Logger logger = LoggerFactory.getLogger("linkboard.module." + moduleId);
        private final UserView system = new UserView(UserView.SYSTEM_ID, "Linkboard", unit, Set.of("admin"));

        @Override
        public String moduleId() {
            return moduleId;
        }

        @Override
        public CompletionStage<BoardView> board(String id) {
            if (!boardId.equals(id)) return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no board " + id));
            return CompletableFuture.completedFuture(ModuleTestKit.this.board());
        }

        /**
         * The kit has one board and no unit tree: a reader may read it when it is an administrator,
         * the system user, or in the board's unit; anyone else gets NOT_FOUND, as from the server.
         */
        @Override
        public CompletionStage<BoardView> board(String id, UserView reader) {
            if (reader == null || !(reader.isAdmin() || reader.isSystem() || unit.equals(reader.unit()))) {
                return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no board " + id));
            }
            return board(id);
        }

        @Override
        public CompletionStage<Long> submit(String id, Map<String, Object> op) {
            if (!boardId.equals(id)) return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.NOT_FOUND, "no board " + id));
            CompletableFuture<Long> done = new CompletableFuture<>();
            Runnable run = () -> {
                OpResult r = applyAs(op, system);
                if (r.accepted()) done.complete(r.seq());
                else done.completeExceptionally(r.error());
            };
            // Like the server: a follow-up is sequenced after the op whose listener submitted it.
            if (applying) followUps.add(run);
            else {
                run.run();
                drainFollowUps();
            }
            return done;
        }

        @Override
        public CompletionStage<Map<String, Object>> settings(String unitId) {
            return CompletableFuture.completedFuture(ModuleTestKit.this.settings.getOrDefault(unitId, Map.of()));
        }

        @Override
        public Map<String, Object> config() {
            return Collections.unmodifiableMap(config);
        }

        @Override
        public Logger logger() {
            return logger;
        }
    }
}
