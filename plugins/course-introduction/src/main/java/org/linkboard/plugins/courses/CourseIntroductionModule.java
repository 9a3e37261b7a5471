package org.linkboard.plugins.courses;

import org.linkboard.api.BoardTemplate;
import org.linkboard.api.BoardView;
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
import org.linkboard.api.OpView;
import org.linkboard.api.RouteRequest;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.StageSpec;
import org.linkboard.api.WebAssets;
import org.pf4j.Extension;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The bundled module {@code course-introduction}: international courses that a college brings into
 * its programme, from the first proposal through evaluation, approval with credit recognition,
 * scheduling and teaching to a review (docs/modules.md).
 *
 * <ul>
 * <li>Item type {@code course} with the workflow proposal → evaluation → approval → scheduling →
 *     running → review, plus {@code rejected} and {@code withdrawn}.</li>
 * <li>Registrar rules (the validation hook): a course reaches approval only with an evaluation,
 *     and is scheduled only with a term; both stay required from then on. Credits (0.5–30) and
 *     hours are bounded by the field specs, so the server enforces them before the hook runs.</li>
 * <li>Route {@code GET catalogue.csv?board=B}: the approved courses of a board as CSV
 *     ({@link CourseCatalogue}).</li>
 * <li>Web asset {@code course.js}; board template "Course introduction" (one lane per stage).</li>
 * </ul>
 *
 * <p>Thread-safe: apart from the volatile context the module keeps no state; every decision is
 * taken from the hook's payload or a fresh board read.
 */
@Extension
public class CourseIntroductionModule implements LinkboardModule {

    public static final String ID = "course-introduction";
    static final String COURSE = ID + ":course";

    /**
     * Stages from which a course counts as approved: the catalogue lists them, and they need an
     * evaluation. (A course in {@code approval} has been approved by the college and Academic
     * Affairs and waits to be scheduled.)
     */
    static final Set<String> APPROVED_STAGES = Set.of("approval", "scheduling", "running", "review");
    /** Stages in which the course has (or had) a place in the timetable, so it needs a term. */
    static final Set<String> SCHEDULED_STAGES = Set.of("scheduling", "running", "review");

    static final double MIN_CREDITS = 0.5;
    static final double MAX_CREDITS = 30;

    private volatile ModuleContext context;

    @Override
    public String name() {
        return "Course introduction";
    }

    @Override
    public List<ItemTypeSpec> itemTypes() {
        return List.of(ItemTypeSpec.builder("course").name("International course").icon("🎓")
                .description("A course of a partner university brought into the college's programme, with its credit recognition.")
                .field(FieldSpec.builder("title", FieldType.STRING).label("Course title").required().maxLength(200).build())
                .field(FieldSpec.builder("partnerUniversity", FieldType.STRING).label("Partner university").required().maxLength(200).build())
                .field(FieldSpec.builder("country", FieldType.STRING).label("Country").maxLength(100).build())
                .field(FieldSpec.builder("teachingLanguage", FieldType.STRING).label("Teaching language").maxLength(50).build())
                .field(FieldSpec.builder("discipline", FieldType.STRING).label("Discipline").maxLength(100).build())
                // Bounds of the registrar: half a credit (a short seminar) up to a full semester's load.
                .field(FieldSpec.builder("credits", FieldType.NUMBER).label("Credits").range(MIN_CREDITS, MAX_CREDITS)
                        .help("0.5 to 30").build())
                .field(FieldSpec.builder("hours", FieldType.INTEGER).label("Contact hours").range(1, 1000).build())
                .field(FieldSpec.builder("term", FieldType.STRING).label("Term").maxLength(50)
                        .help("e.g. 2026 Autumn; required once the course is scheduled").build())
                .field(FieldSpec.builder("instructor", FieldType.STRING).label("Instructor").maxLength(200).build())
                .field(FieldSpec.builder("localCourseCode", FieldType.STRING).label("Recognised as (local course code)").maxLength(30).build())
                .field(FieldSpec.builder("localCourseName", FieldType.STRING).label("Recognised as (local course name)").maxLength(200).build())
                .field(FieldSpec.builder("evaluation", FieldType.TEXT).label("Evaluation").maxLength(20_000)
                        .help("the academic evaluation; required for approval").build())
                .field(FieldSpec.builder("evaluationScore", FieldType.NUMBER).label("Evaluation score").range(0, 100).build())
                .field(FieldSpec.builder("notes", FieldType.TEXT).label("Notes").maxLength(20_000).build())
                .stage(StageSpec.of("proposal", "Proposal", "evaluation", "withdrawn"))
                // Evaluation may send a proposal back for revision, or end it.
                .stage(StageSpec.of("evaluation", "Evaluation", "approval", "proposal", "rejected", "withdrawn"))
                .stage(StageSpec.of("approval", "Approved", "scheduling", "evaluation", "withdrawn"))
                .stage(StageSpec.of("scheduling", "Scheduling", "running", "approval", "withdrawn"))
                .stage(StageSpec.of("running", "Running", "review"))
                // After its review a course may be scheduled again for another term.
                .stage(StageSpec.of("review", "Review", "scheduling"))
                .stage(StageSpec.of("rejected", "Rejected", "proposal"))
                .stage(StageSpec.of("withdrawn", "Withdrawn", "proposal"))
                .build());
    }

    @Override
    public List<BoardTemplate> boardTemplates() {
        return List.of(new BoardTemplate("course-introduction", "Course introduction",
                "One lane per stage of bringing an international course into the programme.",
                List.of("Proposal", "Evaluation", "Approved", "Scheduling", "Running", "Review")));
    }

    @Override
    public WebAssets webAssets() {
        return WebAssets.entry("course.js");
    }

    // ---- registrar rules ----------------------------------------------------------------------

    @Override
    public HookResult validate(OpContext c) {
        OpView op = c.op();
        if (!COURSE.equals(op.type())) return HookResult.accept();
        // Only ops that can change the outcome are checked, so an old course that predates a rule
        // can still be edited in other fields.
        boolean relevant = op.is(OpView.Kind.CREATE) || op.sets("stage") || op.sets("evaluation") || op.sets("term");
        if (!relevant) return HookResult.accept();
        String stage = stringOf(c.fieldAfter("stage"));
        if (APPROVED_STAGES.contains(stage) && isBlank(c.fieldAfter("evaluation"))) {
            return HookResult.invalid("evaluation", "a course needs an evaluation before it can be approved");
        }
        if (SCHEDULED_STAGES.contains(stage) && isBlank(c.fieldAfter("term"))) {
            return HookResult.invalid("term", "a scheduled course needs a term");
        }
        return HookResult.accept();
    }

    // ---- catalogue export ---------------------------------------------------------------------

    @Override
    public List<ModuleRoute> routes() {
        return List.of(ModuleRoute.get("catalogue.csv", this::catalogue));
    }

    private CompletionStage<RouteResponse> catalogue(RouteRequest req) {
        String boardId = req.queryParam("board");
        if (isBlank(boardId)) {
            return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.BAD_REQUEST, "query parameter 'board' is required"));
        }
        return unwrapped(context().board(boardId, req.user()).thenApply(board -> {
            return RouteResponse.text("text/csv", CourseCatalogue.csv(board))
                    .withHeader("Content-Disposition", "attachment; filename=\"catalogue-" + safeFileName(boardId) + ".csv\"");
        }));
    }


    /**
     * Completes with the stage's own exception: a {@code thenApply} that throws fails the dependent
     * stage with a {@link CompletionException} around it, and the server answers only a bare
     * {@link LinkboardException} with its code (anything else is INTERNAL).
     */
    static <T> CompletionStage<T> unwrapped(CompletionStage<T> stage) {
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
        });
        return out;
    }

    private static String safeFileName(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static boolean isBlank(Object v) {
        return !(v instanceof String s) || s.isBlank();
    }

    private static String stringOf(Object v) {
        return v instanceof String s ? s : null;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Override
    public void start(ModuleContext context) {
        this.context = context;
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
