package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.Router;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.ItemTypes;
import org.linkboard.server.store.Store;

/**
 * Everything about modules, wired to the board engine in one place: the {@link ModuleHost}, its
 * item types and gate installed in the {@link BoardRegistry}, board access for module contexts,
 * and the listener subscription to applied ops. The server creates it once, after the board
 * registry and before any board with module items is loaded (e.g. before demo boards are seeded),
 * and closes it at shutdown.
 */
public final class ModuleSystem {

    private final ModuleHost host;
    private final UnitDirectory units;
    private final MessageConsumer<AppliedOps> listener;
    private final Vertx vertx;
    private final long refreshTimer;

    private ModuleSystem(Vertx vertx, ModuleHost host, UnitDirectory units, MessageConsumer<AppliedOps> listener) {
        this.vertx = vertx;
        this.host = host;
        this.units = units;
        this.listener = listener;
        long every = host.options().enablementRefreshMs();
        this.refreshTimer = every > 0 ? vertx.setPeriodic(every, id -> host.enablement().reload()) : -1;
    }

    /**
     * Creates the host, installs module types and the gate in {@code boards}, subscribes module
     * listeners, then loads and starts the plugins of {@code options.pluginsDir()}. Completes when
     * every plugin is started or FAILED; never fails because of a plugin.
     */
    public static Future<ModuleSystem> start(Vertx vertx, ModuleHostOptions options, Store store, UnitDirectory units,
                                             BoardRegistry boards) {
        ModuleHost host = new ModuleHost(vertx, options, store, units);
        RecentDeletes deletes = new RecentDeletes();
        boards.useModules(new ModuleItemTypes(host, ItemTypes.builtIn()), new ModuleOpGate(host, deletes));
        host.useBoardAccess(new ModuleBoardAccess(boards));
        MessageConsumer<AppliedOps> listener = new ModuleListeners(host, deletes).attach(vertx.eventBus());
        return host.start().map(v -> new ModuleSystem(vertx, host, units, listener));
    }

    public ModuleHost host() {
        return host;
    }

    /** Mounts the public web-asset route on the root router, before the auth handler. */
    public void mountPublic(Router root) {
        ModuleRoutes.mountAssets(root, "/api", host);
    }

    /**
     * Mounts the authenticated routes on a router where the caller's principal is set;
     * {@code base} is {@code ""} for a router mounted at {@code /api/*}, {@code "/api"} for the root.
     */
    public void mount(Router api, String base) {
        ModuleRoutes.mount(api, base, host, units);
    }

    /** Stops listening and stops every module. */
    public Future<Void> close() {
        if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
        return listener.unregister().otherwiseEmpty().compose(v -> host.close());
    }
}
