package org.linkboard.plugins.checklist;

import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.BoardTemplate;
import org.linkboard.api.BoardView;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.HookResult;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.ItemView;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.ModuleContext;
import org.linkboard.api.ModuleRoute;
import org.linkboard.api.OpContext;
import org.linkboard.api.OpView;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.StageSpec;
import org.linkboard.api.WebAssets;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The example module of docs/plugins.md: checklists of tasks.
 *
 * <ul>
 * <li>Item types {@code checklist} (workflow open → in-progress → done) and {@code task}
 *     (done, owner, due), a task living under a checklist.</li>
 * <li>Validation: a task must sit under a checklist; a checklist cannot be set {@code done}
 *     while one of its tasks is open.</li>
 * <li>Automation: a new checklist gets the unit's default tasks (setting {@code defaultTasks});
 *     when its last open task is ticked, the checklist moves to {@code done}.</li>
 * <li>Route {@code GET boards/:board/progress}: done/total per checklist.</li>
 * <li>Web asset {@code checklist.js}: renders a checklist with its progress.</li>
 * </ul>
 *
 * <p>Stateless apart from nothing at all: every decision is taken from the hook's payload, so the
 * class is trivially thread-safe.
 */
@Extension
public class ChecklistModule implements LinkboardModule {

    public static final String ID = "example-checklist";
    static final String CHECKLIST = ID + ":checklist";
    static final String TASK = ID + ":task";

    @Override
    public String name() {
        return "Checklists";
    }

    @Override
    public List<ItemTypeSpec> itemTypes() {
        return List.of(
                ItemTypeSpec.builder("checklist").name("Checklist").icon("☑")
                        .field(FieldSpec.builder("title", FieldType.STRING).label("Title").required().maxLength(200).build())
                        .field(FieldSpec.builder("description", FieldType.TEXT).label("Description").maxLength(20_000).build())
                        .stage(StageSpec.of("open", "Open", "in-progress", "done"))
                        .stage(StageSpec.of("in-progress", "In progress", "open", "done"))
                        .stage(StageSpec.of("done", "Done", "in-progress"))
                        .build(),
                ItemTypeSpec.builder("task").name("Task")
                        .field(FieldSpec.builder("title", FieldType.STRING).label("Task").required().maxLength(200).build())
                        .field(FieldSpec.builder("done", FieldType.BOOLEAN).label("Done").build())
                        .field(FieldSpec.builder("owner", FieldType.USER).label("Owner").build())
                        .field(FieldSpec.builder("due", FieldType.DATE).label("Due").build())
                        .build());
    }

    @Override
    public List<FieldSpec> settingsSchema() {
        return List.of(FieldSpec.builder("defaultTasks", FieldType.LIST).label("Tasks every new checklist starts with")
                .maxLength(50).build());
    }

    @Override
    public List<BoardTemplate> boardTemplates() {
        return List.of(BoardTemplate.of("onboarding", "Onboarding", "To prepare", "In progress", "Done"));
    }

    @Override
    public WebAssets webAssets() {
        return WebAssets.entry("checklist.js");
    }

    // ---- validation ---------------------------------------------------------------------------

    @Override
    public HookResult validate(OpContext c) {
        OpView op = c.op();
        if (TASK.equals(op.type()) && (op.is(OpView.Kind.CREATE) || op.is(OpView.Kind.MOVE))) {
            ItemView parent = op.parent() == null ? null : c.board().item(op.parent());
            if (parent == null || !CHECKLIST.equals(parent.type())) {
                return HookResult.invalid("parent", "a task belongs in a checklist");
            }
        }
        if (CHECKLIST.equals(op.type()) && op.sets("stage") && "done".equals(op.value())) {
            long open = openTasks(c.board(), op.itemId());
            if (open > 0) {
                return HookResult.invalid("stage", open + " task(s) of this checklist are still open");
            }
        }
        return HookResult.accept();
    }

    private static long openTasks(BoardView board, String checklistId) {
        return board.children(checklistId).stream()
                .filter(i -> TASK.equals(i.type()) && !Boolean.TRUE.equals(i.field("done")))
                .count();
    }

    // ---- automation ---------------------------------------------------------------------------

    @Override
    public void onApplied(AppliedOpEvent e, ModuleContext ctx) {
        OpView op = e.op();
        if (CHECKLIST.equals(op.type()) && op.is(OpView.Kind.CREATE)) {
            addDefaultTasks(e, ctx);
        } else if (TASK.equals(op.type()) && op.sets("done") && Boolean.TRUE.equals(op.value()) && e.item() != null) {
            completeIfAllDone(e, ctx);
        }
    }

    private void addDefaultTasks(AppliedOpEvent e, ModuleContext ctx) {
        String checklist = e.op().itemId();
        ctx.settings(e.unit()).thenAccept(settings -> {
            Object tasks = settings.get("defaultTasks");
            if (!(tasks instanceof List<?> titles)) return;
            int n = 0;
            for (Object title : titles) {
                n++;
                ctx.submit(e.boardId(), Map.of("kind", "create", "id", checklist + "-t" + n, "type", TASK,
                        "parent", checklist, "fields", Map.of("title", String.valueOf(title))));
            }
        }).exceptionally(err -> {
            ctx.logger().warn("could not add default tasks to {}: {}", checklist, err.toString());
            return null;
        });
    }

    private void completeIfAllDone(AppliedOpEvent e, ModuleContext ctx) {
        String checklist = e.item().parent();
        // The event tells what changed; the board read tells the siblings' current state.
        ctx.board(e.boardId()).thenCompose(board -> {
            ItemView list = board.item(checklist);
            if (list == null || "done".equals(list.stage()) || openTasks(board, checklist) > 0) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            return ctx.submit(e.boardId(), Map.of("kind", "set", "id", checklist, "field", "stage", "value", "done"));
        }).exceptionally(err -> {
            // E.g. someone reopened a task meanwhile: the hook rejected the follow-up. Nothing to do.
            ctx.logger().debug("checklist {} not completed: {}", checklist, err.toString());
            return null;
        });
    }

    // ---- routes -------------------------------------------------------------------------------

    @Override
    public List<ModuleRoute> routes() {
        return List.of(ModuleRoute.get("boards/:board/progress", req -> context().board(req.pathParam("board"), req.user())
                .thenApply(board -> {
                    List<Object> lists = new ArrayList<>();
                    for (ItemView i : board.items()) {
                        if (!CHECKLIST.equals(i.type())) continue;
                        List<ItemView> tasks = board.children(i.id()).stream().filter(t -> TASK.equals(t.type())).toList();
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", i.id());
                        m.put("title", i.field("title"));
                        m.put("stage", i.stage());
                        m.put("done", tasks.stream().filter(t -> Boolean.TRUE.equals(t.field("done"))).count());
                        m.put("total", tasks.size());
                        lists.add(m);
                    }
                    return RouteResponse.json(Map.of("board", board.boardId(), "checklists", lists));
                })));
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    private volatile ModuleContext context;

    @Override
    public void start(ModuleContext context) {
        this.context = context;
        context.logger().info("checklists ready");
    }

    @Override
    public void stop() {
        this.context = null;
    }

    private ModuleContext context() {
        ModuleContext c = context;
        if (c == null) throw new IllegalStateException("module is not started");
        return c;
    }
}
