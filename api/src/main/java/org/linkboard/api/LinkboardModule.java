package org.linkboard.api;

import org.pf4j.ExtensionPoint;

import java.util.List;

/**
 * The one extension point of a Linkboard module. A plugin jar contains exactly one class that
 * implements it, annotated with {@code @org.pf4j.Extension}; every method has a default, so a
 * module overrides only what it needs.
 *
 * <h2>Lifecycle</h2>
 * The server creates the instance when it loads the plugin (the class needs a public no-argument
 * constructor), reads the declarations ({@link #name()}, {@link #itemTypes()},
 * {@link #settingsSchema()}, {@link #routes()}, {@link #webAssets()}, {@link #failurePolicy()},
 * {@link #boardTemplates()}) once, then calls {@link #start}. Hooks, listeners and routes are only
 * called between {@code start} and {@link #stop}. An administrator may stop, start, replace or
 * unload the plugin at runtime; a restart creates a new {@link ModuleContext}. Declarations must
 * not change while the module runs.
 *
 * <h2>Threading and time</h2>
 * Every call comes on a server worker thread, never on an event loop. Calls may come concurrently
 * from several threads (several boards at once), so keep instance state thread-safe. Each hook
 * call has a time budget (default 200 ms, server option): {@link #validate} must not block
 * (no network, no sleeping, no {@code join()} on a {@link ModuleContext} stage).
 *
 * <h2>Containment</h2>
 * A hook that throws or overruns its budget is logged with the module id; for {@link #validate}
 * the operation is then rejected with {@link ErrorCode#INTERNAL} or let through, per
 * {@link #failurePolicy()}. After five failures in a row the server marks the module
 * {@code FAILED} and stops it; an administrator can start it again. A module that throws in
 * {@link #start} or in a declaration method is {@code FAILED} with the reason, and the server
 * runs on without it.
 *
 * <h2>Which operations a module sees</h2>
 * {@link #validate} and {@link #onApplied} receive the operations that target items of this
 * module's own types ({@code moduleId:typeId}), on boards whose unit has the module enabled.
 * Items of other types and deletions cascading from a deleted parent are not shown to it.
 */
public interface LinkboardModule extends ExtensionPoint {

    /**
     * The display name, e.g. "Student exchange". Called once at load; null (the default) shows
     * the plugin id. Must not throw.
     */
    default String name() {
        return null;
    }

    /**
     * The item types this module contributes. Called once at load. Each type's id is local (e.g.
     * {@code candidate}); items carry {@code moduleId:typeId}. The server validates every
     * {@code create} and {@code set} of such items against the spec (field types, required fields,
     * limits, enum values, stage transitions) before {@link #validate} runs.
     */
    default List<ItemTypeSpec> itemTypes() {
        return List.of();
    }

    /**
     * The fields of this module's per-unit settings. Called once at load. The server validates a
     * unit's settings against them when an administrator saves them
     * ({@code PUT /api/units/{unit}/modules/{id}/settings}); read them with
     * {@link ModuleContext#settings}.
     */
    default List<FieldSpec> settingsSchema() {
        return List.of();
    }

    /**
     * Board layouts this module offers when a user creates a board. Called once at load.
     */
    default List<BoardTemplate> boardTemplates() {
        return List.of();
    }

    /**
     * Starts the module: keep the context, prepare caches. Called once per start, on a worker
     * thread, before any hook, listener or route call. May take up to the start budget (default
     * 10 s). Throwing marks the module {@code FAILED} with the exception's message; the module's
     * hooks are then not called and its items reject changes with {@link ErrorCode#MODULE_DISABLED}.
     */
    default void start(ModuleContext context) {
    }

    /**
     * Stops the module: release what {@link #start} acquired. Called once, on a worker thread, when
     * an administrator stops, replaces or unloads the plugin, when the module is marked
     * {@code FAILED}, and at server shutdown. No hook runs after it returns. An exception is logged
     * and otherwise ignored.
     */
    default void stop() {
    }

    /**
     * Checks one operation on an item of this module's types before it is sequenced. The operation
     * has already passed type, field, stage, permission and enablement checks; return
     * {@link HookResult#accept()} or a rejection.
     *
     * <p>Called on a worker thread, once per operation (a re-sent operation already applied is not
     * shown again), possibly concurrently for different boards. Must be fast and pure: it is given
     * {@link OpContext#board()} to read, and should decide from that alone. Over its budget
     * (default 200 ms) or on an exception the operation follows {@link #failurePolicy()}. A null
     * result counts as accept; throwing a {@link LinkboardException} is the same as returning
     * that rejection (and is not counted as a failure).
     */
    default HookResult validate(OpContext context) {
        return HookResult.accept();
    }

    /**
     * Told about an operation on an item of this module's types after it is durable (it is
     * already acked to its sender and cannot be undone; to change something, submit a follow-up
     * with {@link ModuleContext#submit}). Use it for automation, e.g. creating an onboarding
     * checklist when a candidate reaches the {@code offer} stage.
     *
     * <p>Called on a worker thread. For one module calls come one at a time, in seq order per
     * board (unless a call overruns its budget, in which case the next may start while it still
     * runs). The budget is the hook budget; waiting belongs in the stages of the context, not in
     * this call. Exceptions are logged and count as a failure of the module; the operation is not
     * affected.
     */
    default void onApplied(AppliedOpEvent event, ModuleContext context) {
    }

    /**
     * The REST endpoints of this module under {@code /api/modules/{moduleId}/}. Called once at
     * load. See {@link ModuleRoute} for who may call them and how they are run.
     */
    default List<ModuleRoute> routes() {
        return List.of();
    }

    /**
     * The browser side of this module (files under {@code web/} in the jar). Called once at load.
     */
    default WebAssets webAssets() {
        return WebAssets.NONE;
    }

    /**
     * What happens to an operation when {@link #validate} fails to answer. Called once at load.
     * Default {@link FailurePolicy#FAIL_CLOSED}.
     */
    default FailurePolicy failurePolicy() {
        return FailurePolicy.FAIL_CLOSED;
    }
}
