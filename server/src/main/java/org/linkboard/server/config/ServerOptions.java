package org.linkboard.server.config;

import org.linkboard.server.store.Durability;

import java.nio.file.Path;

/**
 * Everything a Linkboard process is configured with (CONTRACT §1), after flags and
 * {@code LINKBOARD_*} environment variables were read. Mutable for tests and the parser; the
 * server reads it once at start.
 */
public final class ServerOptions {

    private int port = 8080;
    private String host = "0.0.0.0";
    private Path dataDir = Path.of("data");
    private Path pluginsDir;
    private String redis;
    private String redisPrefix = "lb";
    private boolean demo;
    private String adminPassword;
    private String jwtSecret;
    private long tokenLifetimeSeconds = 12 * 3600;
    private String jwtPublicKey;
    private Path jwksFile;
    private int maxBodyBytes = 1024 * 1024;
    private int maxFrameBytes = 256 * 1024;
    private int wsRatePerSecond = 5000;
    private int wsBurst = 10000;
    private int sessionQueueBytes = 4 * 1024 * 1024;
    private long hookBudgetMillis = 200;
    private int snapshotEvery = 1000;
    private Durability durability = Durability.POWER;
    private int eventLoops;
    private String logFormat = "text";
    private String metricsToken;
    private boolean accessLog;
    private long webhookRetryMillis = 1000;
    private java.util.function.LongSupplier clock = System::currentTimeMillis;
    // Collaboration (docs/collaboration.md)
    private String smtpHost;
    private int smtpPort = 25;
    private String smtpFrom = "linkboard@localhost";
    private long reminderIntervalMillis = 60_000;
    private long attachmentMaxBytes = 25L * 1024 * 1024;
    private long boardAttachmentsMaxBytes = 1024L * 1024 * 1024;
    private Path attachmentsDir;
    private long attachmentRetentionMillis = 7L * 24 * 3600 * 1000;

    public int port() { return port; }
    public ServerOptions port(int port) { this.port = port; return this; }
    public String host() { return host; }
    public ServerOptions host(String host) { this.host = host; return this; }
    /** What an ack survives in the embedded store; cluster mode follows Redis's persistence. */
    public Durability durability() { return durability; }
    public ServerOptions durability(Durability durability) { this.durability = durability; return this; }
    /** Event-loop threads; 0 means one per available core, at least 2. */
    public int eventLoops() { return eventLoops; }
    public ServerOptions eventLoops(int n) { this.eventLoops = n; return this; }
    public Path dataDir() { return dataDir; }
    public ServerOptions dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
    /** Null means: the bundled plugins of this build (the {@code plugins/} folder beside the jar). */
    public Path pluginsDir() { return pluginsDir; }
    public ServerOptions pluginsDir(Path pluginsDir) { this.pluginsDir = pluginsDir; return this; }
    /** Null means embedded mode; a {@code redis://} URI means cluster mode (CONTRACT §7). */
    public String redis() { return redis; }
    public ServerOptions redis(String redis) { this.redis = redis; return this; }
    /** Prefix of every Redis key and channel: nodes share data only with the same Redis and prefix. */
    public String redisPrefix() { return redisPrefix; }
    public ServerOptions redisPrefix(String p) { this.redisPrefix = p; return this; }
    public boolean demo() { return demo; }
    public ServerOptions demo(boolean demo) { this.demo = demo; return this; }
    public String adminPassword() { return adminPassword; }
    public ServerOptions adminPassword(String adminPassword) { this.adminPassword = adminPassword; return this; }
    public String jwtSecret() { return jwtSecret; }
    public ServerOptions jwtSecret(String jwtSecret) { this.jwtSecret = jwtSecret; return this; }
    public long tokenLifetimeSeconds() { return tokenLifetimeSeconds; }
    public ServerOptions tokenLifetimeSeconds(long s) { this.tokenLifetimeSeconds = s; return this; }
    /** PEM public key of an external identity provider (RS256/ES256), or null. */
    public String jwtPublicKey() { return jwtPublicKey; }
    public ServerOptions jwtPublicKey(String pem) { this.jwtPublicKey = pem; return this; }
    /** A JWKS file of an external identity provider, or null. */
    public Path jwksFile() { return jwksFile; }
    public ServerOptions jwksFile(Path jwksFile) { this.jwksFile = jwksFile; return this; }
    public int maxBodyBytes() { return maxBodyBytes; }
    public ServerOptions maxBodyBytes(int n) { this.maxBodyBytes = n; return this; }
    public int maxFrameBytes() { return maxFrameBytes; }
    public ServerOptions maxFrameBytes(int n) { this.maxFrameBytes = n; return this; }
    public int wsRatePerSecond() { return wsRatePerSecond; }
    public ServerOptions wsRatePerSecond(int n) { this.wsRatePerSecond = n; return this; }
    public int wsBurst() { return wsBurst; }
    public ServerOptions wsBurst(int n) { this.wsBurst = n; return this; }
    public int sessionQueueBytes() { return sessionQueueBytes; }
    public ServerOptions sessionQueueBytes(int n) { this.sessionQueueBytes = n; return this; }
    public long hookBudgetMillis() { return hookBudgetMillis; }
    public ServerOptions hookBudgetMillis(long ms) { this.hookBudgetMillis = ms; return this; }
    public int snapshotEvery() { return snapshotEvery; }
    public ServerOptions snapshotEvery(int n) { this.snapshotEvery = n; return this; }
    public String logFormat() { return logFormat; }
    public ServerOptions logFormat(String f) { this.logFormat = f; return this; }
    /** SMTP server for e-mail notifications; null: no e-mail. */
    public String smtpHost() { return smtpHost; }
    public ServerOptions smtpHost(String h) { this.smtpHost = h; return this; }
    public int smtpPort() { return smtpPort; }
    public ServerOptions smtpPort(int p) { this.smtpPort = p; return this; }
    public String smtpFrom() { return smtpFrom; }
    public ServerOptions smtpFrom(String f) { this.smtpFrom = f; return this; }
    /** How often due reminders and digests are swept. */
    public long reminderIntervalMillis() { return reminderIntervalMillis; }
    public ServerOptions reminderIntervalMillis(long ms) { this.reminderIntervalMillis = ms; return this; }
    public long attachmentMaxBytes() { return attachmentMaxBytes; }
    public ServerOptions attachmentMaxBytes(long n) { this.attachmentMaxBytes = n; return this; }
    public long boardAttachmentsMaxBytes() { return boardAttachmentsMaxBytes; }
    public ServerOptions boardAttachmentsMaxBytes(long n) { this.boardAttachmentsMaxBytes = n; return this; }
    /** Where attachment files live; null: {@code attachments/} under the data dir. A shared directory in cluster mode. */
    public Path attachmentsDir() { return attachmentsDir; }
    public ServerOptions attachmentsDir(Path d) { this.attachmentsDir = d; return this; }
    /** How long files of deleted items are kept (so undo can restore them). */
    public long attachmentRetentionMillis() { return attachmentRetentionMillis; }
    public ServerOptions attachmentRetentionMillis(long ms) { this.attachmentRetentionMillis = ms; return this; }
    /** Token a Prometheus scraper presents for {@code /metrics}; null means admins' bearer tokens only. */
    public String metricsToken() { return metricsToken; }
    public ServerOptions metricsToken(String t) { this.metricsToken = t; return this; }
    /** One INFO line per HTTP request (else the lines are at FINE). */
    public boolean accessLog() { return accessLog; }
    public ServerOptions accessLog(boolean on) { this.accessLog = on; return this; }
    /** First webhook retry delay; each further retry waits twice as long (capped at 5 minutes). */
    public long webhookRetryMillis() { return webhookRetryMillis; }
    public ServerOptions webhookRetryMillis(long ms) { this.webhookRetryMillis = ms; return this; }
    /** Wall clock in epoch ms for time-based policies (login throttling); tests replace it. Not a flag. */
    public java.util.function.LongSupplier clock() { return clock; }
    public ServerOptions clock(java.util.function.LongSupplier clock) { this.clock = clock; return this; }
}
