package org.linkboard.testkit;

import org.junit.jupiter.api.Test;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.HookResult;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.ModuleContext;
import org.linkboard.api.ModuleRoute;
import org.linkboard.api.OpContext;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.StageSpec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTestKitTest {

    /** A candidate pipeline: stages, a hook that throws on request, an echoing listener and route. */
    static final class Pipeline implements LinkboardModule {
        @Override
        public List<ItemTypeSpec> itemTypes() {
            return List.of(ItemTypeSpec.builder("candidate")
                    .field(FieldSpec.builder("name", FieldType.STRING).required().build())
                    .field(FieldSpec.builder("score", FieldType.INTEGER).range(0, 10).build())
                    .field(FieldSpec.builder("note", FieldType.STRING).build())
                    .stage(StageSpec.of("applied", "Applied", "interview"))
                    .stage(StageSpec.of("interview", "Interview", "offer"))
                    .stage(StageSpec.of("offer", "Offer"))
                    .build());
        }

        @Override
        public HookResult validate(OpContext c) {
            if ("boom".equals(c.fieldAfter("note"))) throw new IllegalStateException("boom");
            if ("loop".equals(c.fieldAfter("note"))) return HookResult.accept();
            return HookResult.accept();
        }

        @Override
        public void onApplied(AppliedOpEvent e, ModuleContext ctx) {
            if ("loop".equals(e.item() == null ? null : e.item().field("note"))) {
                // Reacts to its own follow-ups forever: the kit must stop it.
                ctx.submit(e.boardId(), Map.of("kind", "set", "id", e.op().itemId(), "field", "score", "value", e.seq() % 10));
            }
        }

        @Override
        public List<ModuleRoute> routes() {
            return List.of(ModuleRoute.get("hello/:who", r -> CompletableFuture.completedFuture(
                    RouteResponse.json(Map.of("hello", r.pathParam("who"), "q", String.valueOf(r.queryParam("x")))))));
        }
    }

    ModuleTestKit kit = ModuleTestKit.of("hr", new Pipeline());

    private void candidate() {
        kit.apply(Map.of("kind", "create", "id", "c1", "type", "hr:candidate", "fields", Map.of("name", "Ana"))).assertAccepted();
    }

    @Test
    void stageTransitionsFollowTheWorkflow() {
        candidate();
        assertEquals("applied", kit.item("c1").stage());
        assertEquals("stage", kit.apply("""
                {"kind":"set","id":"c1","field":"stage","value":"offer"}""").assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply("""
                {"kind":"set","id":"c1","field":"stage","value":"interview"}""").assertAccepted();
    }

    @Test
    void fieldLimitsAreEnforcedBeforeTheHook() {
        candidate();
        assertEquals("score", kit.apply("""
                {"kind":"set","id":"c1","field":"score","value":11}""").assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void hookThatThrowsGivesInternalWithTheCause() {
        candidate();
        OpResult r = kit.apply("""
                {"kind":"set","id":"c1","field":"note","value":"boom"}""").assertRejected(ErrorCode.INTERNAL);
        assertTrue(r.error().getCause() instanceof IllegalStateException);
    }

    @Test
    void typesOfOtherModulesAreUnknown() {
        kit.apply(Map.of("kind", "create", "id", "x", "type", "other:thing")).assertRejected(ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void listenerThatReactsToItsOwnFollowUpsIsStopped() {
        candidate();
        AssertionError e = assertThrows(AssertionError.class, () -> kit.apply("""
                {"kind":"set","id":"c1","field":"note","value":"loop"}"""));
        assertTrue(e.getMessage().contains("follow-up"), e.getMessage());
    }

    @Test
    void routesGetPathAndQueryParameters() {
        RouteResponse r = kit.route("GET", "hello/ana?x=1", null);
        assertEquals(Map.of("hello", "ana", "q", "1"), r.json());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(LinkboardException.class, () -> kit.route("GET", "nope", null)).code());
    }
}
