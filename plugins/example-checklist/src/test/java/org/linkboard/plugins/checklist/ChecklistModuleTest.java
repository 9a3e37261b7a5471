package org.linkboard.plugins.checklist;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.RouteResponse;
import org.linkboard.testkit.ModuleTestKit;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecklistModuleTest {

    ModuleTestKit kit;

    @BeforeEach
    void setUp() {
        kit = ModuleTestKit.of(ChecklistModule.ID, new ChecklistModule());
    }

    private void checklist(String id) {
        kit.apply(Map.of("kind", "create", "id", id, "type", kit.type("checklist"), "fields", Map.of("title", "Onboarding")))
                .assertAccepted();
    }

    private void task(String id, String parent) {
        kit.apply(Map.of("kind", "create", "id", id, "type", kit.type("task"), "parent", parent,
                "fields", Map.of("title", "Task " + id))).assertAccepted();
    }

    @Test
    void newChecklistStartsInTheFirstStage() {
        checklist("c1");
        assertEquals("open", kit.item("c1").stage());
    }

    @Test
    void checklistNeedsATitle() {
        assertEquals("title", kit.apply(Map.of("kind", "create", "id", "c1", "type", kit.type("checklist")))
                .assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void taskOutsideAChecklistIsRejected() {
        kit.apply(Map.of("kind", "create", "id", "lane", "type", "lane", "fields", Map.of("title", "Lane"))).assertAccepted();
        assertEquals("parent", kit.apply(Map.of("kind", "create", "id", "t1", "type", kit.type("task"), "parent", "lane",
                "fields", Map.of("title", "Orphan"))).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void checklistCannotBeDoneWhileATaskIsOpen() {
        checklist("c1");
        task("t1", "c1");
        assertEquals("stage", kit.apply("""
                {"kind":"set","id":"c1","field":"stage","value":"done"}""").assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void tickingTheLastOpenTaskCompletesTheChecklist() {
        checklist("c1");
        task("t1", "c1");
        task("t2", "c1");
        kit.apply("""
                {"kind":"set","id":"t1","field":"done","value":true}""").assertAccepted();
        assertEquals("open", kit.item("c1").stage());

        kit.apply("""
                {"kind":"set","id":"t2","field":"done","value":true}""").assertAccepted();
        assertEquals("done", kit.item("c1").stage());
        assertEquals("system", kit.applied().get(kit.applied().size() - 1).by());
    }

    @Test
    void newChecklistGetsTheUnitsDefaultTasks() {
        kit.settings(Map.of("defaultTasks", List.of("Sign contract", "Get a badge")));
        checklist("c1");

        assertEquals("Sign contract", kit.item("c1-t1").field("title"));
        assertEquals("c1", kit.item("c1-t2").parent());
        assertEquals(3, kit.version());
    }

    @Test
    void progressRouteCountsDoneTasksPerChecklist() {
        checklist("c1");
        task("t1", "c1");
        task("t2", "c1");
        kit.apply("""
                {"kind":"set","id":"t1","field":"done","value":true}""").assertAccepted();

        RouteResponse r = kit.route("GET", "boards/" + kit.boardId() + "/progress", null);
        assertEquals(200, r.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) ((Map<String, Object>) r.json()).get("checklists")).get(0);
        assertEquals("c1", first.get("id"));
        assertEquals(1L, ((Number) first.get("done")).longValue());
        assertEquals(2, ((Number) first.get("total")).intValue());
    }

    @Test
    void webEntryIsInTheJar() {
        assertNotNull(kit.asset("checklist.js"));
        assertTrue(kit.asset("checklist.js").contains("export function render"));
        assertNull(kit.asset("missing.js"));
    }
}
