package org.linkboard.server.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@link ServerOptions} from flags ({@code --port 8080} or {@code --port=8080}) and from
 * {@code LINKBOARD_<NAME>} environment variables; a flag wins over its variable. Unknown flags
 * and bad values raise {@link UsageException} with a one-line message for the console.
 */
public final class CommandLine {

    /** A bad command line: the message is meant to be printed as is, without a stack trace. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private record Flag(boolean takesValue, String help, BiConsumer<ServerOptions, String> setter) {
    }

    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

    static {
        value("port", "TCP port (0 picks a free one)", (o, v) -> o.port(intIn("port", v, 0, 65535)));
        value("host", "interface to bind", ServerOptions::host);
        value("data-dir", "where the embedded store lives", (o, v) -> o.dataDir(Path.of(v)));
        value("plugins-dir", "where plugin files are loaded from", (o, v) -> o.pluginsDir(Path.of(v)));
        value("redis", "Redis URI for cluster mode, e.g. redis://127.0.0.1:6379", (o, v) -> {
            if (!v.startsWith("redis://") && !v.startsWith("rediss://") && !v.startsWith("unix://")) {
                throw new IllegalArgumentException("--redis must be a redis:// URI, got '" + v + "'");
            }
            o.redis(v);
        });
        value("redis-prefix", "prefix of Redis keys in cluster mode (default lb); nodes with the same Redis and prefix share boards", (o, v) -> {
            if (v.isEmpty() || v.contains("{") || v.contains("}") || v.contains(" ")) {
                throw new IllegalArgumentException("--redis-prefix must be non-empty, without braces or spaces, got '" + v + "'");
            }
            o.redisPrefix(v);
        });
        toggle("demo", "seed the demo organisation, users and boards if absent", (o, v) -> o.demo(bool("demo", v)));
        value("admin-password", "password of the bootstrap admin on first start", ServerOptions::adminPassword);
        value("jwt-secret", "HS256 secret for tokens", ServerOptions::jwtSecret);
        value("token-lifetime", "token lifetime in seconds", (o, v) -> o.tokenLifetimeSeconds(intIn("token-lifetime", v, 60, 30 * 86400)));
        value("jwt-public-key", "PEM public key of an external identity provider", ServerOptions::jwtPublicKey);
        value("jwks-file", "JWKS file of an external identity provider", (o, v) -> o.jwksFile(Path.of(v)));
        value("max-body", "largest HTTP body in bytes", (o, v) -> o.maxBodyBytes(intIn("max-body", v, 1024, Integer.MAX_VALUE)));
        value("max-frame", "largest WebSocket frame in bytes", (o, v) -> o.maxFrameBytes(intIn("max-frame", v, 1024, 64 * 1024 * 1024)));
        value("ws-rate", "messages per second a socket may send, sustained", (o, v) -> o.wsRatePerSecond(intIn("ws-rate", v, 1, 10_000_000)));
        value("ws-burst", "messages a socket may send in a burst", (o, v) -> o.wsBurst(intIn("ws-burst", v, 1, 10_000_000)));
        value("session-queue", "bytes queued for a slow reader before it is disconnected", (o, v) -> o.sessionQueueBytes(intIn("session-queue", v, 16 * 1024, Integer.MAX_VALUE)));
        value("hook-budget", "time budget of a module hook in milliseconds", (o, v) -> o.hookBudgetMillis(intIn("hook-budget", v, 1, 60_000)));
        value("durability", "what an ack survives in the embedded store: power (fsync per commit, default) or process (kill -9; WAL fsynced every 250 ms)", (o, v) -> o.durability(org.linkboard.server.store.Durability.parse(v)));
        value("event-loops", "event-loop threads (default: one per core, at least 2)", (o, v) -> o.eventLoops(intIn("event-loops", v, 1, 1024)));
        value("snapshot-every", "ops between board snapshots (at least)", (o, v) -> o.snapshotEvery(intIn("snapshot-every", v, 10, 10_000_000)));
        value("smtp-host", "SMTP server for e-mail notifications", ServerOptions::smtpHost);
        value("smtp-port", "SMTP port", (o, v) -> o.smtpPort(intIn("smtp-port", v, 1, 65535)));
        value("smtp-from", "sender address of notification e-mails", ServerOptions::smtpFrom);
        value("reminder-interval", "seconds between due-reminder sweeps", (o, v) -> o.reminderIntervalMillis(1000L * intIn("reminder-interval", v, 1, 86400)));
        value("attachment-max-bytes", "largest attachment file in bytes", (o, v) -> o.attachmentMaxBytes(longIn("attachment-max-bytes", v, 1, Long.MAX_VALUE)));
        value("board-attachments-max-bytes", "most bytes of attachments per board", (o, v) -> o.boardAttachmentsMaxBytes(longIn("board-attachments-max-bytes", v, 1, Long.MAX_VALUE)));
        value("attachments-dir", "where attachment files live (shared in cluster mode)", (o, v) -> o.attachmentsDir(Path.of(v)));
        value("attachment-retention", "days files of deleted items are kept", (o, v) -> o.attachmentRetentionMillis(86_400_000L * intIn("attachment-retention", v, 0, 3650)));
        value("log-format", "text or json", (o, v) -> {
            if (!v.equals("text") && !v.equals("json")) throw new IllegalArgumentException("--log-format must be text or json, got '" + v + "'");
            o.logFormat(v);
        });
        value("metrics-token", "token a Prometheus scraper sends for /metrics (default: admins only)", ServerOptions::metricsToken);
        value("webhook-retry-ms", "first webhook retry delay in ms (doubles per attempt)", (o, v) -> o.webhookRetryMillis(intIn("webhook-retry-ms", v, 1, 3_600_000)));
        toggle("access-log", "log one line per HTTP request", (o, v) -> o.accessLog(bool("access-log", v)));
    }

    private CommandLine() {
    }

    private static void value(String name, String help, BiConsumer<ServerOptions, String> setter) {
        FLAGS.put(name, new Flag(true, help, setter));
    }

    private static void toggle(String name, String help, BiConsumer<ServerOptions, String> setter) {
        FLAGS.put(name, new Flag(false, help, setter));
    }

    /** Parses the environment first, then the flags over it. */
    public static ServerOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        ServerOptions options = new ServerOptions();
        for (Map.Entry<String, Flag> e : FLAGS.entrySet()) {
            String var = "LINKBOARD_" + e.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
            String v = env.get(var);
            if (v != null && !v.isEmpty()) {
                apply(options, e.getKey(), e.getValue(), v, var);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(usage());
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (flags start with --; see --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag flag = FLAGS.get(name);
            if (flag == null) {
                throw new UsageException("unknown flag --" + name + " (see --help)");
            }
            if (flag.takesValue() && value == null) {
                if (i + 1 >= args.size()) throw new UsageException("flag --" + name + " needs a value");
                value = args.get(++i);
            }
            apply(options, name, flag, value == null ? "true" : value, "--" + name);
        }
        return options;
    }

    private static void apply(ServerOptions o, String name, Flag flag, String value, String source) throws UsageException {
        try {
            flag.setter().accept(o, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() == null ? "bad value for " + source + ": '" + value + "'" : e.getMessage());
        }
    }

    private static int intIn(String name, String v, int min, int max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got " + v);
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    private static long longIn(String name, String v, long min, long max) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    private static boolean bool(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
        };
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar linkboard.jar [flags]   (each flag also as LINKBOARD_<NAME>)\n");
        FLAGS.forEach((name, f) -> sb.append(String.format("  --%-16s %s%n", name + (f.takesValue() ? " V" : ""), f.help())));
        return sb.toString().stripTrailing();
    }
}
