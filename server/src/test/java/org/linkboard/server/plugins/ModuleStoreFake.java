package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.server.store.Store;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The module part of the Store SPI in memory. A proxy rather than a class implementing Store, so
 * that additions to the SPI do not break these tests; other methods fail with
 * UnsupportedOperationException.
 */
final class ModuleStoreFake {

    private ModuleStoreFake() {
    }

    static Store create() {
        Map<String, Map<String, Boolean>> enabled = new ConcurrentHashMap<>();
        Map<String, String> settings = new ConcurrentHashMap<>();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "moduleEnablement": {
                    Map<String, Map<String, Boolean>> copy = new ConcurrentHashMap<>();
                    enabled.forEach((u, m) -> copy.put(u, Map.copyOf(m)));
                    return Future.succeededFuture(copy);
                }
                case "setModuleEnabled": {
                    Map<String, Boolean> m = enabled.computeIfAbsent((String) args[0], k -> new ConcurrentHashMap<>());
                    if (args[2] == null) m.remove((String) args[1]);
                    else m.put((String) args[1], (Boolean) args[2]);
                    return Future.succeededFuture();
                }
                case "moduleSettings":
                    return Future.succeededFuture(settings.get(args[0] + "/" + args[1]));
                case "saveModuleSettings":
                    settings.put(args[0] + "/" + args[1], (String) args[2]);
                    return Future.succeededFuture();
                case "open", "close", "ping":
                    return Future.succeededFuture();
                case "toString":
                    return "ModuleStoreFake";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return Future.failedFuture(new UnsupportedOperationException(method.getName() + " is not part of the module store fake"));
            }
        });
    }
}
