package org.linkboard.server.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.audit.AuditLog;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.http.Requests;
import org.linkboard.server.http.Responses;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.embedded.SqliteStore;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * {@code POST /api/admin/backup} (admin): an online backup of the embedded store into
 * {@code <data-dir>/backups/<name>.db} — {@code name} from the body {@code {"name"}} or the
 * current UTC time. Writes go on while it runs (see {@link SqliteStore#backupTo}). Only names, not
 * paths, are accepted, so the endpoint can never write outside the backups folder. In cluster
 * mode it answers UNAVAILABLE: back up Redis instead (docs/operations.md).
 */
public final class BackupRoutes {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Store store;
    private final Path backupsDir;
    private final AuditLog audit;

    public BackupRoutes(Store store, Path dataDir, AuditLog audit) {
        this.store = store;
        this.backupsDir = dataDir.resolve("backups");
        this.audit = audit;
    }

    public void mount(Router api) {
        api.post("/admin/backup").handler(Responses.async(201, this::backup));
    }

    private Future<JsonObject> backup(RoutingContext ctx) {
        Principal p = Requests.principal(ctx);
        if (!p.isAdmin()) throw Errors.forbidden("only admins take backups");
        String name = null;
        if (ctx.body() != null && ctx.body().length() > 0) {
            name = Requests.optionalString(Requests.body(ctx), "name");
        }
        if (name == null) name = STAMP.format(java.time.Instant.now());
        if (!name.endsWith(".db")) name = name + ".db";
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw Requests.invalid("name", "a backup name is letters, digits, '.', '_' and '-' (no path)");
        }
        if (!(store instanceof SqliteStore sqlite)) {
            return Future.failedFuture(new LinkboardException(ErrorCode.UNAVAILABLE,
                    "online backup is for the embedded store; in cluster mode back up Redis (docs/operations.md)"));
        }
        Path target = backupsDir.resolve(name).normalize();
        if (!target.getParent().equals(backupsDir.normalize())) throw Requests.invalid("name", "a backup name cannot be a path");
        String finalName = name;
        long started = System.currentTimeMillis();
        return sqlite.backupTo(target).compose(v -> {
            long bytes = target.toFile().length();
            JsonObject result = new JsonObject().put("name", finalName).put("path", target.toAbsolutePath().toString())
                    .put("bytes", bytes).put("millis", System.currentTimeMillis() - started);
            return audit.record(p, "backup", finalName, new JsonObject().put("bytes", bytes)).map(x -> result);
        });
    }
}
