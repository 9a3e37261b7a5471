package org.linkboard.api;

import org.slf4j.Logger;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the server offers a started module: read boards, submit follow-up operations as the system
 * user, read the module's per-unit settings and its configuration, and log.
 *
 * <p>Lifecycle: the server creates one context per start of the module and passes it to
 * {@link LinkboardModule#start} and every {@link LinkboardModule#onApplied} call. After
 * {@link LinkboardModule#stop} it refuses new work (its stages fail with
 * {@link ErrorCode#MODULE_DISABLED}).
 *
 * <p>Threading: every method may be called from any thread and returns at once; results arrive
 * through the returned {@link CompletionStage}, completed on a server thread that must not be
 * blocked: chain further work with {@code thenCompose}/{@code thenApply}, never with
 * {@code join()} or {@code get()} inside a hook or a listener (that would wait on the very thread
 * pool the answer needs). A failed stage carries a {@link LinkboardException}.
 */
public interface ModuleContext {

    /** The module's id (its {@code Plugin-Id}); item types of this module are {@code id:typeId}. */
    String moduleId();

    /**
     * A detached copy of a board's items at its current version. Fails with
     * {@link ErrorCode#NOT_FOUND} when there is no such board.
     */
    CompletionStage<BoardView> board(String boardId);

    /**
     * A board as {@code reader} may see it: like {@link #board(String)}, but fails with
     * {@link ErrorCode#NOT_FOUND} when the board lies outside the reader's read scope (CONTRACT §3:
     * boards of the reader's unit, of every unit below it and of every unit above it; administrators
     * read everything), exactly as the server answers such a user. A route that reads a board named
     * in its request reads it through this, with {@link RouteRequest#user()}, so a module never
     * shows a user a board the user could not open.
     */
    CompletionStage<BoardView> board(String boardId, UserView reader);

    /**
     * Submits an operation (a JSON op object of CONTRACT §4, e.g.
     * {@code Map.of("kind","create","id","c1","type","lane","fields",Map.of("title","Next"))})
     * to a board as the system user. It is validated like any operation (types, fields, stages, and
     * every module's hooks, this one's included) and completes with its seq once durable, or fails
     * with the rejection's {@link LinkboardException}.
     *
     * <p>Follow-ups are themselves applied operations and reach {@link LinkboardModule#onApplied}:
     * check {@link AppliedOpEvent#bySystem()} or the item's state so automation does not loop.
     */
    CompletionStage<Long> submit(String boardId, Map<String, Object> op);

    /**
     * The module's settings that apply to a unit: the unit's own saved settings, or else those of
     * its nearest ancestor that has some, or else an empty map. Values were validated against
     * {@link LinkboardModule#settingsSchema()} when saved.
     */
    CompletionStage<Map<String, Object>> settings(String unitId);

    /**
     * The module's server-wide configuration set by the operator (the JSON object in
     * {@code <plugins-dir>/<moduleId>.json}); empty when there is none. Fixed for the life of
     * this context.
     */
    Map<String, Object> config();

    /** A logger named {@code linkboard.module.<moduleId>}; lines carry the module id. */
    Logger logger();
}
