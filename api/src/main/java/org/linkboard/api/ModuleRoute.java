package org.linkboard.api;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A REST endpoint of a module, served at {@code /api/modules/{moduleId}/{path}}.
 *
 * <p>The path is relative (no leading slash) and may contain {@code :name} segments, e.g.
 * {@code "boards/:board/export"}. Only authenticated users reach it, and only those whose unit has
 * the module enabled (admins always): the server checks that before calling the handler. The
 * handler checks finer permissions itself from {@link RouteRequest#user()}. Paths under
 * {@code assets/} are reserved for {@link LinkboardModule#webAssets()}.
 *
 * @param method  HTTP method, e.g. {@code GET}
 * @param path    the relative path pattern
 * @param handler what answers it
 */
public record ModuleRoute(String method, String path, Handler handler) {

    /**
     * Answers a request.
     *
     * <p>Called by the server on a worker thread, once per matching request. It must return quickly
     * (work that waits, such as {@link ModuleContext#board}, goes into the returned stage); the
     * answer must arrive within the route budget (default 10 s) or the client gets
     * {@link ErrorCode#UNAVAILABLE}. A stage failed with a {@link LinkboardException} is answered
     * with that error (CONTRACT §2); any other exception, thrown or in the stage, is answered with
     * {@link ErrorCode#INTERNAL} and logged with the module id.
     */
    @FunctionalInterface
    public interface Handler {
        CompletionStage<RouteResponse> handle(RouteRequest request) throws Exception;
    }

    public ModuleRoute {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        while (path.startsWith("/")) path = path.substring(1);
        if (path.equals("assets") || path.startsWith("assets/")) {
            throw new IllegalArgumentException("paths under assets/ are reserved for web assets: " + path);
        }
        if (path.contains("..")) throw new IllegalArgumentException("'..' in route path: " + path);
    }

    /** A {@code GET} route. */
    public static ModuleRoute get(String path, Handler handler) {
        return new ModuleRoute("GET", path, handler);
    }

    /** A {@code POST} route. */
    public static ModuleRoute post(String path, Handler handler) {
        return new ModuleRoute("POST", path, handler);
    }

    /** A {@code PUT} route. */
    public static ModuleRoute put(String path, Handler handler) {
        return new ModuleRoute("PUT", path, handler);
    }

    /** A {@code DELETE} route. */
    public static ModuleRoute delete(String path, Handler handler) {
        return new ModuleRoute("DELETE", path, handler);
    }
}
