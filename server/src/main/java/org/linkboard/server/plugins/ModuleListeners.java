package org.linkboard.server.plugins;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.ItemView;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.Op;

/**
 * Tells modules about durable operations: subscribes to {@link AppliedOp#ADDRESS} (local) and
 * hands each op on an item of a module type to {@link ModuleHost#applied}, which runs the module's
 * listener on its worker pool, one call at a time, with containment. The board actor never waits
 * for it (data flows one way: actor → event bus → subscribers).
 *
 * <p>The consumer's handler runs on the event loop that registered it and only converts values.
 */
public final class ModuleListeners {

    private final ModuleHost host;
    private final RecentDeletes deletes;

    public ModuleListeners(ModuleHost host, RecentDeletes deletes) {
        this.host = host;
        this.deletes = deletes;
    }

    /** Starts listening; unregister the returned consumer to stop. */
    public MessageConsumer<AppliedOps> attach(EventBus bus) {
        return bus.<AppliedOps>localConsumer(AppliedOp.ADDRESS, msg -> msg.body().forEach(this::dispatch));
    }

    void dispatch(AppliedOp applied) {
        Op op = applied.op();
        Item after = applied.changed() == null ? null : applied.changed().get(op.id());
        String type;
        if (op instanceof Op.Create c) {
            type = c.type();
        } else if (op instanceof Op.Delete) {
            type = deletes.take(applied.board().id(), op.id());
        } else {
            type = after == null ? null : after.type();
        }
        if (ModuleHost.moduleOf(type) == null) return;
        ItemView item = op instanceof Op.Delete ? null : BoardViews.item(after);
        host.applied(new AppliedOpEvent(applied.board().id(), applied.board().unit(), applied.seq(),
                BoardViews.op(op, type), applied.by(), applied.at(), item));
    }
}
