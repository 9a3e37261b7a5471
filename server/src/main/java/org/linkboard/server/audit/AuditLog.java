package org.linkboard.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.store.AuditQuery;
import org.linkboard.server.store.AuditRecord;
import org.linkboard.server.store.Store;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records admin actions — who, when, what — in the store's audit table, and answers queries over
 * it ({@code GET /api/audit}). Other packages call {@link #record} after an admin action
 * succeeded; HTTP admin routes of the core are recorded by {@link AuditTrail} without them
 * calling anything.
 *
 * <p>Action names are dotted: {@code user.create}, {@code user.delete}, {@code unit.create},
 * {@code module.enable}, {@code module.disable}, {@code module.settings}, {@code plugin.install},
 * {@code plugin.start}, {@code plugin.stop}, {@code plugin.unload}, {@code board.archive},
 * {@code board.import}, {@code board.restore}, {@code backup}, {@code restore},
 * {@code webhook.create}, {@code webhook.delete}, {@code webhook.replay}.
 *
 * <p>Threading: callable from any thread; non-blocking. {@link #record} never fails its caller: an
 * audit write that fails is logged at WARNING (the action itself already happened).
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private final Store store;

    public AuditLog(Store store) {
        this.store = store;
    }

    /**
     * Records that {@code who} did {@code action} to {@code target}. {@code details} must not hold
     * secrets (passwords, tokens, webhook secrets). Completes once stored (or the failure logged).
     */
    public Future<Void> record(Principal who, String action, String target, JsonObject details) {
        AuditRecord r = new AuditRecord(0, System.currentTimeMillis(), who.userId(), who.name(), action, target,
                details == null || details.isEmpty() ? null : details.encode());
        LOG.info(() -> "audit: " + who.userId() + " " + action + (target == null ? "" : " " + target));
        return store.appendAudit(r).recover(e -> {
            LOG.log(Level.WARNING, "could not record audit entry " + action + " by " + who.userId(), e);
            return Future.succeededFuture();
        });
    }

    public Future<List<AuditRecord>> query(AuditQuery query) {
        return store.queryAudit(query);
    }
}
