package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.FieldSpec;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Per-unit settings of modules, kept in the {@link Store} as JSON text and validated against the
 * module's {@code settingsSchema} when saved. A unit without settings of its own uses those of
 * its nearest ancestor that has some (so a university-wide default can be set once).
 *
 * <p>Thread-safe; every method completes on the caller's context.
 */
public final class ModuleSettings {

    private static final Logger log = LoggerFactory.getLogger(ModuleSettings.class);

    private final Store store;
    private final UnitDirectory units;

    public ModuleSettings(Store store, UnitDirectory units) {
        this.store = store;
        this.units = units;
    }

    /** The unit's own settings, or an empty map. */
    public Future<Map<String, Object>> own(String unitId, String moduleId) {
        return store.moduleSettings(unitId, moduleId).map(json -> parse(unitId, moduleId, json));
    }

    /** The settings that apply to the unit: its own, else the nearest ancestor's, else empty. */
    public Future<Map<String, Object>> effective(String unitId, String moduleId) {
        return nearest(units.selfAndAncestors(unitId), 0, moduleId);
    }

    private Future<Map<String, Object>> nearest(List<String> chain, int i, String moduleId) {
        if (i >= chain.size()) return Future.succeededFuture(Map.of());
        return store.moduleSettings(chain.get(i), moduleId).compose(json -> json == null
                ? nearest(chain, i + 1, moduleId)
                : Future.succeededFuture(parse(chain.get(i), moduleId, json)));
    }

    /**
     * Validates {@code values} against {@code schema} (fails with VALIDATION_FAILED and
     * {@code details.field}) and saves them as the unit's own settings.
     */
    public Future<Void> save(String unitId, String moduleId, List<FieldSpec> schema, Map<String, Object> values) {
        try {
            FieldSpec.checkObject(schema, values);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return store.saveModuleSettings(unitId, moduleId, PlainJson.vertxObject(values).encode());
    }

    private static Map<String, Object> parse(String unitId, String moduleId, String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            return PlainJson.plainObject(new JsonObject(json));
        } catch (DecodeException e) {
            // Stored by us, so this is corruption; an empty map keeps the module usable.
            log.error("settings of module {} for unit {} are not a JSON object; using none", moduleId, unitId, e);
            return Map.of();
        }
    }
}
