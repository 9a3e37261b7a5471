package org.linkboard.server.ops;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.store.AuditRecord;
import org.linkboard.server.store.embedded.SqliteStore;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sub-commands of {@code java -jar linkboard.jar} that work on a data dir without serving:
 * <ul>
 *   <li>{@code backup --data-dir D --to FILE}: a consistent copy of the embedded store, also while
 *       a server runs on D (SQLite {@code VACUUM INTO}, which does not stop its writes);</li>
 *   <li>{@code restore --from FILE --data-dir D}: puts a backup in place as the store of an empty
 *       (or absent) D, after checking it is a Linkboard database; refuses a non-empty D.</li>
 * </ul>
 * {@link org.linkboard.server.Main} dispatches here before parsing server flags. Blocking; runs
 * on the main thread. {@link #run} answers the process exit code.
 */
public final class OfflineCommands {

    private OfflineCommands() {
    }

    public static boolean isCommand(String first) {
        return "backup".equals(first) || "restore".equals(first);
    }

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.get(0);
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) return usage(err, "unexpected argument '" + a + "'");
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.size()) return usage(err, "flag --" + name + " needs a value");
                value = args.get(++i);
            }
            flags.put(name, value);
        }
        String dataDir = flags.getOrDefault("data-dir", env.getOrDefault("LINKBOARD_DATA_DIR", "data"));
        try {
            if (command.equals("backup")) {
                if (!onlyKnown(flags, err, "data-dir", "to")) return 2;
                String to = flags.get("to");
                if (to == null) return usage(err, "backup needs --to FILE");
                SqliteStore.backupOffline(Path.of(dataDir), Path.of(to));
                out.println("backup of " + Path.of(dataDir).toAbsolutePath() + " written to " + Path.of(to).toAbsolutePath());
                return 0;
            }
            if (!onlyKnown(flags, err, "data-dir", "from")) return 2;
            String from = flags.get("from");
            if (from == null) return usage(err, "restore needs --from FILE");
            return restore(Path.of(from), Path.of(dataDir), out, err);
        } catch (Exception e) {
            err.println("linkboard " + command + ": " + (e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' ')));
            return 1;
        }
    }

    private static int restore(Path from, Path dataDir, PrintStream out, PrintStream err) throws Exception {
        if (Files.exists(dataDir)) {
            if (!Files.isDirectory(dataDir)) {
                err.println("linkboard restore: " + dataDir + " is not a directory");
                return 1;
            }
            try (Stream<Path> entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    // Never merge into or overwrite a live store: restore into a fresh dir, then point the server at it.
                    err.println("linkboard restore: " + dataDir.toAbsolutePath() + " is not empty; restore into an empty directory");
                    return 1;
                }
            }
        }
        SqliteStore.verifyDatabaseFile(from);
        Files.createDirectories(dataDir);
        Path db = dataDir.resolve(SqliteStore.DB_FILE);
        Path partial = dataDir.resolve(SqliteStore.DB_FILE + ".restoring");
        Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
        // Whole file or nothing: a crash mid-copy leaves no half database under the real name.
        Files.move(partial, db, StandardCopyOption.ATOMIC_MOVE);
        SqliteStore.appendAuditOffline(dataDir, new AuditRecord(0, System.currentTimeMillis(), "system", "command line",
                "restore", null, new JsonObject().put("from", from.toAbsolutePath().toString()).encode()));
        out.println("restored " + from.toAbsolutePath() + " into " + dataDir.toAbsolutePath());
        return 0;
    }

    private static boolean onlyKnown(Map<String, String> flags, PrintStream err, String... known) {
        for (String f : flags.keySet()) {
            if (!List.of(known).contains(f)) {
                usage(err, "unknown flag --" + f);
                return false;
            }
        }
        return true;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("linkboard: " + problem);
        err.println("usage: java -jar linkboard.jar backup --data-dir D --to FILE");
        err.println("       java -jar linkboard.jar restore --from FILE --data-dir EMPTY_DIR");
        return 2;
    }
}
