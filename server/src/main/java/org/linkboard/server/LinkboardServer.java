package org.linkboard.server;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.linkboard.server.audit.AuditLog;
import org.linkboard.server.audit.AuditRoutes;
import org.linkboard.server.audit.AuditTrail;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.LoginThrottle;
import org.linkboard.server.auth.PasswordHasher;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.TokenService;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.LocalCodec;
import org.linkboard.server.cluster.ClusterBus;
import org.linkboard.server.cluster.RedisClusterBus;
import org.linkboard.server.config.ServerOptions;
import org.linkboard.server.demo.DemoData;
import org.linkboard.server.http.AuthRoutes;
import org.linkboard.server.http.BoardRoutes;
import org.linkboard.server.http.DirectoryRoutes;
import org.linkboard.server.http.Responses;
import org.linkboard.server.logging.AccessLog;
import org.linkboard.server.metrics.Metrics;
import org.linkboard.server.metrics.MetricsEndpoint;
import org.linkboard.server.ops.BackupRoutes;
import org.linkboard.server.history.HistoryRoutes;
import org.linkboard.server.transfer.BoardTransfer;
import org.linkboard.server.transfer.TransferRoutes;
import org.linkboard.server.webhooks.WebhookDispatcher;
import org.linkboard.server.webhooks.WebhookRoutes;
import org.linkboard.server.linkage.LinkageRoutes;
import org.linkboard.server.linkage.LinkageService;
import org.linkboard.server.plugins.InstalledModule;
import org.linkboard.server.plugins.ModuleHostOptions;
import org.linkboard.server.plugins.ModuleState;
import org.linkboard.server.plugins.ModuleSystem;
import org.linkboard.server.realtime.RealtimeEndpoint;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.store.redis.RedisStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One Linkboard process: opens the store, bootstraps the root unit and the admin, loads the board
 * engine, and serves HTTP and WebSocket. {@link #start()} and {@link #stop()} are the whole
 * lifecycle; {@link Main} wraps them for the command line and tests use them directly.
 */
public final class LinkboardServer {

    private static final Logger LOG = Logger.getLogger(LinkboardServer.class.getName());
    public static final String ROOT_UNIT = "university";

    private final ServerOptions options;
    private Vertx vertx;
    private Store store;
    /** {@link ClusterBus#NONE} in embedded mode; the Redis pub/sub bus with {@code --redis}. */
    private ClusterBus cluster = ClusterBus.NONE;
    /** Unique per process start: stamps this node's cluster messages so it ignores its own. */
    private final String nodeId = UUID.randomUUID().toString();
    private final UnitDirectory units = new UnitDirectory();
    private final UserDirectory users = new UserDirectory();
    private AccessPolicy access;
    private TokenService tokens;
    private BoardRegistry boards;
    private RealtimeEndpoint realtime;
    private LinkageService linkage;
    private ModuleSystem modules;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> deployments = new ArrayList<>();
    private int port = -1;
    private final PasswordHasher hasher = PasswordHasher.standard();
    // ---- operations (metrics, audit, backup, export/import, webhooks, versions) ----
    private final Metrics metrics = new Metrics();
    private AuditLog audit;
    private WebhookDispatcher webhooks;
    private LoginThrottle loginThrottle;
    private Router rootRouter;
    // Collaboration (docs/collaboration.md)
    private org.linkboard.server.notify.NotificationCenter notifications;
    private org.linkboard.server.notify.DueReminders reminders;
    private org.linkboard.server.attachments.AttachmentRoutes attachmentRoutes;
    private org.linkboard.server.attachments.AttachmentJanitor attachmentJanitor;

    public LinkboardServer(ServerOptions options) {
        this.options = options;
    }

    public ServerOptions options() {
        return options;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Store store() {
        return store;
    }

    public ClusterBus cluster() {
        return cluster;
    }

    public BoardRegistry boards() {
        return boards;
    }

    public ModuleSystem modules() {
        return modules;
    }

    public LinkageService linkage() {
        return linkage;
    }

    public RealtimeEndpoint realtime() {
        return realtime;
    }

    public int port() {
        return port;
    }

    public org.linkboard.server.notify.NotificationCenter notifications() {
        return notifications;
    }

    public org.linkboard.server.notify.DueReminders reminders() {
        return reminders;
    }

    public org.linkboard.server.attachments.AttachmentJanitor attachmentJanitor() {
        return attachmentJanitor;
    }

    /** The metrics facade: module hooks, the cluster store and webhooks report through it. */
    public Metrics metrics() {
        return metrics;
    }

    /** The audit log: plugin and module admin actions are recorded through it. */
    public AuditLog audit() {
        return audit;
    }

    /**
     * Every mounted route under {@code /api} as {@code "METHOD /api/path"} (path parameters as
     * {@code :name}; {@code *} for a route of any method), in mount order. Catch-all handlers
     * without a path are left out. Lets the access-matrix test fail when a route is added without
     * a row saying who may call it.
     */
    public List<String> apiRoutes() {
        List<String> out = new ArrayList<>();
        if (rootRouter != null) collectRoutes(rootRouter, "", out);
        return out.stream().filter(r -> r.substring(r.indexOf(' ') + 1).startsWith("/api")).distinct().toList();
    }

    private static void collectRoutes(Router router, String prefix, List<String> out) {
        for (io.vertx.ext.web.Route route : router.getRoutes()) {
            String path = route.getPath();
            if (route.getSubRouter() != null) {
                String mount = path == null ? "" : path.replaceAll("/?\\*?$", "");
                collectRoutes(route.getSubRouter(), prefix + mount, out);
                continue;
            }
            if (path == null) continue;
            String full = prefix + (route.isExactPath() ? path : path + "*");
            if (route.methods() == null || route.methods().isEmpty()) {
                out.add("* " + full);
            } else {
                route.methods().stream().map(m -> m.name()).sorted().forEach(m -> out.add(m + " " + full));
            }
        }
    }

    /** Starts everything; completes with the port it listens on. */
    public Future<Integer> start() {
        int loops = options.eventLoops() > 0 ? options.eventLoops() : Math.max(2, Runtime.getRuntime().availableProcessors());
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            // Not an error: NIO works everywhere, at some CPU per socket write (docs/performance.md).
            LOG.info("native transport unavailable, using NIO: " + vertx.unavailableNativeTransportCause());
        }
        access = new AccessPolicy(units);
        vertx.eventBus().registerDefaultCodec(AppliedOp.class, new LocalCodec<>(AppliedOp.class));
        vertx.eventBus().registerDefaultCodec(AppliedOps.class, new LocalCodec<>(AppliedOps.class));
        if (options.redis() != null) {
            if (options.durability() != org.linkboard.server.store.Durability.POWER) {
                LOG.warning("--durability " + options.durability().flagValue() + " applies to the embedded store only;"
                        + " in cluster mode an ack is as durable as Redis's persistence makes it (docs/operations.md)");
            }
            RedisStore redis = new RedisStore(vertx, options.redis(), options.redisPrefix(), nodeId);
            store = redis;
            cluster = new RedisClusterBus(vertx, redis);
            // Another node changed users or units, or this node may have missed such a notice.
            cluster.subscribe(RedisStore.DIRECTORY_TOPIC, m -> reloadDirectory());
            cluster.subscribe(ClusterBus.RESYNC_TOPIC, m -> reloadDirectory());
        } else {
            store = new SqliteStore(vertx, options.dataDir(), options.durability());
        }
        return store.open()
                .compose(v -> cluster.start())
                .compose(v -> store.listUnits()).compose(list -> {
                    units.putAll(list);
                    if (units.exists(ROOT_UNIT)) return Future.succeededFuture();
                    return store.createUnit(new UnitRecord(ROOT_UNIT, "University", "university", null)).<Void>map(u -> {
                        units.put(u);
                        return null;
                    }).recover(e -> afterRace(e));
                })
                .compose(v -> store.listUsers()).compose(list -> {
                    users.putAll(list);
                    if (!list.isEmpty()) return Future.succeededFuture();
                    // With --demo and no --admin-password, the demo seeds 'admin' with the public
                    // password 'demo' (CONTRACT §8); an explicit --admin-password wins.
                    if (options.demo() && (options.adminPassword() == null || options.adminPassword().isEmpty())) {
                        return Future.succeededFuture();
                    }
                    return bootstrapAdmin();
                })
                .compose(v -> jwtSecret()).compose(secret -> {
                    tokens = new TokenService(vertx, secret, options.tokenLifetimeSeconds(), users, units, externalKeys(), externalJwks(),
                            store::getUser);
                    loginThrottle = new LoginThrottle(options.clock());
                    return options.demo() ? demo().seed() : Future.succeededFuture();
                })
                .compose(v -> actorContexts(loops))
                .compose(contexts -> {
                    boards = new BoardRegistry(vertx, store, access, contexts, options.snapshotEvery(), cluster);
                    realtime = new RealtimeEndpoint(vertx, boards, tokens, options);
                    // Linkage: cross-board link checks before sequencing, rollups on goals in snapshots,
                    // and the index rebuilt from the boards before any op is taken (docs/linkage.md).
                    linkage = new LinkageService(store, boards, access);
                    boards.addGate(linkage.gate());
                    boards.decorateSnapshots(linkage);
                    return vertx.deployVerticle(linkage).map(id -> {
                        deployments.add(id);
                        return null;
                    });
                })
                .compose(v -> startOperations())
                .compose(v -> startCollaboration())
                // Modules before any board is served or seeded: their item types and gate are in the
                // registry from the first op on; enablement is read from the store, after the demo's.
                .compose(v -> ModuleSystem.start(vertx, new ModuleHostOptions()
                        .pluginsDir(options.pluginsDir() != null ? options.pluginsDir() : ModuleHostOptions.bundledPluginsDir())
                        .hookBudgetMs(options.hookBudgetMillis())
                        .hookObserver((id, nanos, failed) -> metrics.module(id).record(nanos, failed)), store, units, boards))
                .compose(m -> {
                    modules = m;
                    // Other nodes' enablement and hook changes (no-ops in embedded mode).
                    cluster.subscribe(RedisStore.MODULES_TOPIC, msg -> m.host().enablement().reload());
                    cluster.subscribe(ClusterBus.RESYNC_TOPIC, msg -> m.host().enablement().reload());
                    cluster.subscribe(RedisStore.WEBHOOKS_TOPIC, msg -> webhooks.reload());
                    // Demo items of a bundled module only when it runs (tests often start without plugins).
                    return options.demo() ? demo().seedBoards(boards, id -> {
                        InstalledModule installed = m.host().module(id);
                        return installed != null && installed.state() == ModuleState.STARTED;
                    }) : Future.succeededFuture();
                })
                .compose(v -> listen(loops))
                .onSuccess(p -> {
                    port = p;
                    LOG.info("Linkboard listening on port " + p + " (transport "
                            + (vertx.isNativeTransportEnabled() ? "native" : "nio") + ", " + loops + (loops == 1 ? " event loop)" : " event loops)") + (cluster.clustered()
                            ? " (cluster node " + nodeId + ", redis key prefix '" + options.redisPrefix() + "')"
                            : " (data dir " + options.dataDir().toAbsolutePath() + ")"));
                });
    }

    /** Notifications, due reminders, attachments (docs/collaboration.md). */
    private Future<Void> startCollaboration() {
        org.linkboard.server.notify.Mailer mailer = org.linkboard.server.notify.SmtpMailer.from(vertx, options);
        notifications = new org.linkboard.server.notify.NotificationCenter(vertx, store, users, access, boards,
                realtime::sendToUser, mailer, options.clock());
        notifications.start();
        reminders = new org.linkboard.server.notify.DueReminders(vertx, notifications, mailer, options.clock());
        reminders.start(options.reminderIntervalMillis());
        java.nio.file.Path dir = options.attachmentsDir() != null ? options.attachmentsDir() : options.dataDir().resolve("attachments");
        org.linkboard.server.attachments.DirectoryAttachmentStore files = new org.linkboard.server.attachments.DirectoryAttachmentStore(vertx, dir);
        attachmentRoutes = new org.linkboard.server.attachments.AttachmentRoutes(vertx, store, boards, access, files,
                options.attachmentMaxBytes(), options.boardAttachmentsMaxBytes(), options.clock());
        attachmentJanitor = new org.linkboard.server.attachments.AttachmentJanitor(vertx, store, boards, files,
                options.attachmentRetentionMillis(), options.clock());
        attachmentJanitor.start(3_600_000);
        return files.open();
    }

    /** Metrics observers and gauges, the audit log, webhook delivery. */
    private Future<Void> startOperations() {
        audit = new AuditLog(store);
        boards.observe(metrics);
        realtime.observe(metrics);
        if (store instanceof SqliteStore sqlite) sqlite.observeCommits(metrics::storeCommit);
        metrics.gauge("ws.sessions.open", "authenticated WebSocket sessions now", realtime::openSessions);
        metrics.gauge("boards.loaded", "boards with a live actor (joined or recently used)", boards::loadedBoards);
        webhooks = new WebhookDispatcher(vertx, store, metrics, options.webhookRetryMillis());
        return webhooks.start();
    }

    /** Webhook delivery: the linkage publishes {@code rollup.changed} through {@link WebhookDispatcher#emit}. */
    public WebhookDispatcher webhooks() {
        return webhooks;
    }

    /** The operations endpoints under /api (after authentication). */
    private void mountOperations(Router api) {
        new AuditRoutes(audit).mount(api);
        new BackupRoutes(store, options.dataDir(), audit).mount(api);
        new TransferRoutes(store, access, units, new BoardTransfer(vertx, store, boards, audit)).mount(api);
        new HistoryRoutes(store, boards, access, users, audit).mount(api);
        new WebhookRoutes(store, boards, access, webhooks, audit).mount(api);
    }

    private DemoData demo() {
        return new DemoData(vertx, store, units, users, hasher);
    }

    private Future<Void> bootstrapAdmin() {
        boolean generated = options.adminPassword() == null || options.adminPassword().isEmpty();
        String password = generated ? PasswordHasher.randomPassword() : options.adminPassword();
        return vertx.executeBlocking(() -> hasher.hash(password))
                .compose(hash -> store.createUser(new UserRecord("u-admin", "admin", "Administrator", ROOT_UNIT,
                        List.of(Principal.ADMIN), hash, System.currentTimeMillis())))
                .<Void>map(u -> {
                    users.put(u);
                    if (generated) {
                        LOG.warning("created user 'admin' with generated password: " + password + "  (shown once; set --admin-password to choose one)");
                    } else {
                        LOG.info("created user 'admin' with the password given by --admin-password");
                    }
                    return null;
                })
                .recover(e -> afterRace(e));
    }

    /**
     * Cluster: another node created the same bootstrap record a moment earlier (CONFLICT); take
     * what is stored now instead of failing the start.
     */
    private Future<Void> afterRace(Throwable e) {
        if (e instanceof org.linkboard.api.LinkboardException le && le.code() == org.linkboard.api.ErrorCode.CONFLICT
                && cluster.clustered()) {
            return reloadDirectory();
        }
        return Future.failedFuture(e);
    }

    /**
     * Cluster: makes the in-memory units and users equal to the store's (another node changed
     * them). A user deleted elsewhere loses its sessions here too.
     */
    private Future<Void> reloadDirectory() {
        return store.listUnits().compose(list -> {
            units.putAll(list);
            return store.listUsers();
        }).map(list -> {
            Set<String> ids = new HashSet<>();
            for (UserRecord u : list) ids.add(u.id());
            for (UserRecord u : users.all()) {
                if (!ids.contains(u.id())) {
                    users.remove(u.id());
                    if (realtime != null) realtime.closeUser(u.id());
                }
            }
            users.putAll(list);
            return (Void) null;
        }).onFailure(e -> LOG.warning("cluster: reloading users and units failed: " + e.getMessage()));
    }

    /**
     * The HS256 secret: {@code --jwt-secret}, else the one generated on first start and kept in the
     * store's metadata (so tokens survive restarts, and every node of a cluster shares it).
     */
    private Future<String> jwtSecret() {
        if (options.jwtSecret() != null && !options.jwtSecret().isEmpty()) {
            if (options.jwtSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                LOG.warning("--jwt-secret is shorter than 32 bytes; HS256 tokens are only as strong as the secret");
            }
            return Future.succeededFuture(options.jwtSecret());
        }
        byte[] b = new byte[48];
        new SecureRandom().nextBytes(b);
        return store.putMetaIfAbsent("jwt.secret", Base64.getEncoder().encodeToString(b));
    }

    private List<PubSecKeyOptions> externalKeys() {
        List<PubSecKeyOptions> keys = new ArrayList<>();
        String pem = options.jwtPublicKey();
        if (pem != null && !pem.isBlank()) {
            String text = pem.contains("BEGIN") ? pem : readFile(Path.of(pem));
            String alg = TokenService.algorithmForPublicKeyPem(text);
            keys.add(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(text));
        }
        return keys;
    }

    private List<JsonObject> externalJwks() {
        List<JsonObject> out = new ArrayList<>();
        if (options.jwksFile() != null) {
            JsonObject jwks = new JsonObject(readFile(options.jwksFile()));
            jwks.getJsonArray("keys", new io.vertx.core.json.JsonArray()).forEach(k -> out.add((JsonObject) k));
        }
        return out;
    }

    private static String readFile(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage());
        }
    }

    /** One event-loop context per core for board actors, taken from a deployed verticle per core. */
    private Future<List<Context>> actorContexts(int n) {
        List<Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
        return vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        contexts.add(context);
                        return Future.succeededFuture();
                    }
                }, new DeploymentOptions().setInstances(n))
                .map(id -> {
                    deployments.add(id);
                    return new ArrayList<>(contexts);
                });
    }

    private Router router() {
        Router root = Router.router(vertx);
        root.route().handler(new AccessLog(options.accessLog(), metrics));
        root.get("/metrics").handler(new MetricsEndpoint(metrics, tokens, options.metricsToken()));
        root.get("/health").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP")));
        root.get("/ready").handler(ctx -> store.ping().compose(v -> cluster.connected() ? Future.<Void>succeededFuture()
                : Future.<Void>failedFuture(new org.linkboard.api.LinkboardException(org.linkboard.api.ErrorCode.UNAVAILABLE,
                "not subscribed to the cluster channel"))).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.json(ctx, 200, new JsonObject().put("status", "READY"));
            } else {
                Responses.json(ctx, 503, new JsonObject().put("status", "DOWN").put("error", Errors.toJson(Errors.normalize(ar.cause()))));
            }
        }));
        Router api = Router.router(vertx);
        // Attachment uploads stream to disk with their own limit, plugin uploads carry their own,
        // larger limit on their route; every other body is read into memory.
        attachmentRoutes.mountUploadBody(api);
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(options.maxBodyBytes());
        api.route().handler(ctx -> {
            if (isPluginUpload(ctx)) {
                // Held until the upload route's own body handler reads it, after authentication:
                // bytes arriving meanwhile would otherwise be lost and the upload never end.
                ctx.request().pause();
                ctx.next();
            } else if (ctx.request().path().startsWith("/api/admin/plugins")
                    || org.linkboard.server.attachments.AttachmentRoutes.isUpload(ctx)) {
                ctx.next();
            } else {
                bodies.handle(ctx);
            }
        });
        AuthRoutes auth = new AuthRoutes(vertx, store, tokens, users, hasher, loginThrottle);
        auth.mountLogin(api);
        auth.mountAuthentication(api);
        api.route().handler(new AuditTrail(audit));
        mountOperations(api);
        new DirectoryRoutes(vertx, store, units, users, access, hasher, realtime::closeUser).mount(api);
        new BoardRoutes(store, boards, access, units).mount(api);
        new org.linkboard.server.notify.NotificationRoutes(store, users, access, boards).mount(api);
        attachmentRoutes.mount(api);
        new LinkageRoutes(linkage, store, access).mount(api);
        modules.mount(api, "");
        api.route().handler(ctx -> ctx.fail(Errors.notFound("no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
        api.route().failureHandler(Responses::failure);
        // Module assets are public: browsers import ES modules without an Authorization header.
        modules.mountPublic(root);
        root.route("/api/*").subRouter(api);
        root.route().handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
        root.route().failureHandler(Responses::failure);
        rootRouter = root;
        return root;
    }

    private static boolean isPluginUpload(io.vertx.ext.web.RoutingContext ctx) {
        return ctx.request().method() == io.vertx.core.http.HttpMethod.POST
                && ctx.request().path().replaceAll("/+$", "").equals("/api/admin/plugins");
    }

    private Future<Integer> listen(int instances) {
        HttpServerOptions httpOptions = new HttpServerOptions()
                .setHost(options.host())
                // Sessions enforce the frame limit themselves, to close cleanly with 1009; the codec's
                // limit only stops absurd frames before they are buffered.
                .setMaxWebSocketFrameSize(codecFrameLimit())
                .setMaxWebSocketMessageSize(codecFrameLimit())
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setTcpNoDelay(true)
                .setCompressionSupported(true);
        // Port 0 means "any free port": Vert.x shares one random port among servers that bind to -1,
        // where plain 0 would let each instance race for a port of its own.
        int bindPort = options.port() == 0 ? -1 : options.port();
        AtomicInteger actual = new AtomicInteger(0);
        Router router = router();
        return deployHttp(httpOptions, router, bindPort, actual, instances).map(v -> actual.get());
    }

    private int codecFrameLimit() {
        return (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(1024L * 1024, 4L * options.maxFrameBytes()));
    }

    private Future<Void> deployHttp(HttpServerOptions httpOptions, Router router, int bindPort, AtomicInteger actual, int instances) {
        return vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                HttpServer server = vertx.createHttpServer(httpOptions);
                realtime.attach(server);
                server.requestHandler(router);
                return server.listen(bindPort).onSuccess(s -> {
                    synchronized (servers) {
                        servers.add(s);
                    }
                    actual.compareAndSet(0, s.actualPort());
                });
            }
        }, new DeploymentOptions().setInstances(instances)).map(id -> {
            deployments.add(id);
            return null;
        });
    }

    /**
     * Graceful stop: no new connections, sockets closed with 1001, every acknowledged and pending
     * operation flushed to the store, store closed.
     */
    public Future<Void> stop() {
        if (vertx == null) return Future.succeededFuture();
        if (reminders != null) reminders.stop();
        if (attachmentJanitor != null) attachmentJanitor.stop();
        // Sockets first, with 1001 (closing the servers first would end them without a code).
        Future<Void> sockets = realtime == null ? Future.succeededFuture() : realtime.shutdown();
        return sockets.transform(ar -> {
                    List<Future<Void>> closing = new ArrayList<>();
                    synchronized (servers) {
                        servers.forEach(s -> closing.add(s.close()));
                    }
                    return Future.join(closing);
                })
                .transform(ar -> modules == null ? Future.<Void>succeededFuture() : modules.close())
                .transform(ar -> boards == null ? Future.<Void>succeededFuture() : boards.drainAll())
                .transform(ar -> webhooks == null ? Future.<Void>succeededFuture() : webhooks.stop())
                .transform(ar -> cluster.close())
                .transform(ar -> store == null ? Future.<Void>succeededFuture() : store.close())
                .transform(ar -> vertx.close());
    }
}
