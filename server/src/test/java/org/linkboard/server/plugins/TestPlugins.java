package org.linkboard.server.plugins;

/** Sources of the small plugins the module tests load, each compiled into a real jar. */
public final class TestPlugins {

    private TestPlugins() {
    }

    /**
     * A well-behaved module: item type {@code risk} (likelihood, impact 1–5, mitigation) whose hook
     * rejects a high impact without a mitigation; a route {@code GET ping/:name}; a web asset.
     */
    public static PluginJar risk(String id, String version) {
        String pkg = "test." + id.replace('-', '_');
        return PluginJar.of(id).version(version)
                .module(pkg + ".RiskModule", PluginJar.moduleSource(pkg, "RiskModule",
                        "import java.util.concurrent.*;",
                        """
                        public String name() { return "Risks %s"; }
                        public List<ItemTypeSpec> itemTypes() {
                            return List.of(ItemTypeSpec.builder("risk").name("Risk")
                                .field(FieldSpec.builder("title", FieldType.STRING).required().maxLength(200).build())
                                .field(FieldSpec.builder("likelihood", FieldType.INTEGER).range(1, 5).build())
                                .field(FieldSpec.builder("impact", FieldType.INTEGER).range(1, 5).build())
                                .field(FieldSpec.builder("mitigation", FieldType.TEXT).build())
                                .field(FieldSpec.builder("flagged", FieldType.BOOLEAN).build())
                                .build());
                        }
                        public void onApplied(AppliedOpEvent e, ModuleContext c) {
                            // Automation: flag every high-impact risk with a follow-up op.
                            if (e.bySystem() || e.item() == null) return;
                            Object impact = e.item().field("impact");
                            if (impact instanceof Number n && n.intValue() >= 4 && !Boolean.TRUE.equals(e.item().field("flagged"))) {
                                c.submit(e.boardId(), Map.of("kind", "set", "id", e.item().id(), "field", "flagged", "value", true));
                            }
                        }
                        public List<FieldSpec> settingsSchema() {
                            return List.of(FieldSpec.builder("threshold", FieldType.INTEGER).range(1, 5).build());
                        }
                        public HookResult validate(OpContext c) {
                            Object impact = c.fieldAfter("impact");
                            Object mitigation = c.fieldAfter("mitigation");
                            if (impact instanceof Number n && n.intValue() >= 4 && (mitigation == null || mitigation.toString().isBlank())) {
                                return HookResult.invalid("mitigation", "a high-impact risk needs a mitigation");
                            }
                            return HookResult.accept();
                        }
                        public List<ModuleRoute> routes() {
                            return List.of(ModuleRoute.get("ping/:name", req ->
                                CompletableFuture.completedFuture(RouteResponse.json(Map.of("pong", req.pathParam("name"), "by", req.user().id())))));
                        }
                        public WebAssets webAssets() { return WebAssets.entry("risk.js"); }
                        """.formatted(version)))
                .resource("web/risk.js", "export function render(item, type, el) { el.textContent = item.fields.title; }\n");
    }

    /** A module whose start throws. */
    static PluginJar broken(String id) {
        String pkg = "test." + id.replace('-', '_');
        return PluginJar.of(id).module(pkg + ".Broken", PluginJar.moduleSource(pkg, "Broken", "",
                "public void start(ModuleContext c) { throw new IllegalStateException(\"boom at start\"); }"));
    }

    /** A module that tries to reach into the server from its start. */
    static PluginJar sneaky(String id) {
        String pkg = "test." + id.replace('-', '_');
        return PluginJar.of(id).module(pkg + ".Sneaky", PluginJar.moduleSource(pkg, "Sneaky", "",
                """
                public void start(ModuleContext c) {
                    try {
                        Class.forName("org.linkboard.server.auth.Principal");
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException("isolated: " + e.getMessage());
                    }
                }
                """));
    }

    /**
     * A module with type {@code thing} whose validate hook misbehaves on request: field
     * {@code mode} = {@code throw} throws, {@code sleep} sleeps past any budget, else accepts.
     */
    static PluginJar moody(String id, boolean failOpen) {
        String pkg = "test." + id.replace('-', '_');
        return PluginJar.of(id).module(pkg + ".Moody", PluginJar.moduleSource(pkg, "Moody", "",
                """
                public List<ItemTypeSpec> itemTypes() {
                    return List.of(ItemTypeSpec.builder("thing").field(FieldSpec.builder("mode", FieldType.STRING).build()).build());
                }
                public FailurePolicy failurePolicy() { return FailurePolicy.%s; }
                public HookResult validate(OpContext c) {
                    Object mode = c.fieldAfter("mode");
                    if ("throw".equals(mode)) throw new IllegalStateException("hook exploded");
                    if ("sleep".equals(mode)) {
                        try { Thread.sleep(3000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    }
                    return HookResult.accept();
                }
                """.formatted(failOpen ? "FAIL_OPEN" : "FAIL_CLOSED")));
    }
}
