package org.linkboard.api;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request to one of a module's {@link ModuleRoute}s. Immutable.
 *
 * @param method     the HTTP method, upper case
 * @param path       the path below {@code /api/modules/{moduleId}/}, without a leading slash
 * @param pathParams values of the route pattern's {@code :name} segments
 * @param query      query parameters (each name with its values, in order)
 * @param body       the request body parsed as JSON ({@code Map}, {@code List}, {@code String},
 *                   {@code Number}, {@code Boolean}), or null when there is none
 * @param user       the authenticated caller
 */
public record RouteRequest(String method, String path, Map<String, String> pathParams,
                           Map<String, List<String>> query, Object body, UserView user) {

    public RouteRequest {
        pathParams = pathParams == null ? Map.of() : Map.copyOf(pathParams);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = JsonValues.freeze(body);
    }

    /** A path parameter, or null. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body as a JSON object, or fails with {@link ErrorCode#BAD_REQUEST} when it is not one. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> bodyObject() {
        if (body instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new LinkboardException(ErrorCode.BAD_REQUEST, "the body must be a JSON object");
    }
}
