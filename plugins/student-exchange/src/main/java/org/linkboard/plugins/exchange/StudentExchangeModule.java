package org.linkboard.plugins.exchange;

import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.BoardTemplate;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.HookResult;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.ItemView;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The bundled module {@code student-exchange}: outbound exchange programmes and the students who
 * take part in them (docs/modules.md).
 *
 * <ul>
 * <li>Item types {@code programme} (partner, country, level, quota, term, year, and
 *     {@code students}: its confirmed participants) and {@code participant} (workflow
 *     application → nomination → confirmed → departed → returned, plus withdrawn).</li>
 * <li>Rules: a participant names a programme of the same board; a programme takes no more
 *     confirmed participants than its quota, and its quota cannot drop below them;
 *     {@code students} is written by the module alone.</li>
 * <li>Automation: {@code students} of every programme on a board is kept equal to its number of
 *     participants in stage confirmed or later. Because it is an ordinary numeric field, a
 *     programme linked to a goal with metric {@code students} (e.g. the university's "send 130
 *     undergraduates abroad") feeds that goal's rollup (docs/linkage.md).</li>
 * <li>Route {@code GET report?board=B…&baseYear=Y}: participants per country, per college (the
 *     unit of each board) and per year, and the change against a base year ({@link ExchangeReport}).</li>
 * </ul>
 *
 * <p>Thread-safe: the only state is the volatile context.
 */
@Extension
public class StudentExchangeModule implements LinkboardModule {

    public static final String ID = "student-exchange";
    static final String PROGRAMME = ID + ":programme";
    static final String PARTICIPANT = ID + ":participant";

    /** Participant stages that count as sent: confirmed by the partner, or already gone. */
    static final Set<String> COUNTED_STAGES = Set.of("confirmed", "departed", "returned");

    static final List<StageSpec> PARTICIPANT_STAGES = List.of(
            StageSpec.of("application", "Application", "nomination", "withdrawn"),
            StageSpec.of("nomination", "Nomination", "confirmed", "application", "withdrawn"),
            StageSpec.of("confirmed", "Confirmed", "departed", "withdrawn"),
            StageSpec.of("departed", "Departed", "returned"),
            StageSpec.of("returned", "Returned"),
            StageSpec.of("withdrawn", "Withdrawn", "application"));

    private volatile ModuleContext context;

    @Override
    public String name() {
        return "Student exchange";
    }

    @Override
    public List<ItemTypeSpec> itemTypes() {
        return List.of(
                ItemTypeSpec.builder("programme").name("Exchange programme").icon("✈")
                        .description("An outbound exchange programme with a partner university.")
                        .field(FieldSpec.builder("title", FieldType.STRING).label("Title").required().maxLength(200).build())
                        .field(FieldSpec.builder("partner", FieldType.STRING).label("Partner university").required().maxLength(200).build())
                        .field(FieldSpec.builder("country", FieldType.STRING).label("Country").required().maxLength(100).build())
                        .field(FieldSpec.builder("level", FieldType.ENUM).label("Level").values("undergraduate", "postgraduate").build())
                        .field(FieldSpec.builder("duration", FieldType.STRING).label("Duration").maxLength(50)
                                .help("e.g. one semester, two weeks").build())
                        .field(FieldSpec.builder("quota", FieldType.INTEGER).label("Quota").range(0, 10_000)
                                .help("places; confirmed participants cannot exceed it").build())
                        .field(FieldSpec.builder("term", FieldType.STRING).label("Term").maxLength(50).build())
                        .field(FieldSpec.builder("year", FieldType.INTEGER).label("Year").range(1990, 2200).build())
                        .field(FieldSpec.builder("students", FieldType.INTEGER).label("Confirmed students").min(0)
                                .help("kept by the module: participants confirmed or later").build())
                        .field(FieldSpec.builder("description", FieldType.TEXT).label("Description").maxLength(20_000).build())
                        .build(),
                ItemTypeSpec.builder("participant").name("Exchange participant").icon("🎒")
                        .description("A student applying for, or taking part in, an exchange programme.")
                        .field(FieldSpec.builder("studentName", FieldType.STRING).label("Student name").required().maxLength(200).build())
                        .field(FieldSpec.builder("studentId", FieldType.STRING).label("Student id").required().maxLength(30).build())
                        .field(FieldSpec.builder("programme", FieldType.STRING).label("Programme").required().maxLength(64)
                                .help("the id of a programme on this board").build())
                        .field(FieldSpec.builder("creditTransfer", FieldType.ENUM).label("Credit transfer")
                                .values("not-started", "pending", "approved", "rejected").build())
                        .field(FieldSpec.builder("notes", FieldType.TEXT).label("Notes").maxLength(20_000).build())
                        .stages(PARTICIPANT_STAGES)
                        .build());
    }

    @Override
    public List<FieldSpec> settingsSchema() {
        return List.of(FieldSpec.builder("baseYear", FieldType.INTEGER).label("Base year of the exchange report")
                .range(1990, 2200).help("the year the report compares with when the request names none, e.g. 2019").build());
    }

    @Override
    public List<BoardTemplate> boardTemplates() {
        return List.of(new BoardTemplate("student-exchange", "Student exchange",
                "A lane for the programmes, then one lane per stage of the participants.",
                List.of("Programmes", "Application", "Nomination", "Confirmed", "Departed", "Returned")));
    }

    @Override
    public WebAssets webAssets() {
        return WebAssets.entry("exchange.js");
    }

    // ---- rules --------------------------------------------------------------------------------

    @Override
    public HookResult validate(OpContext c) {
        OpView op = c.op();
        if (PROGRAMME.equals(op.type())) return validateProgramme(c);
        if (PARTICIPANT.equals(op.type())) return validateParticipant(c);
        return HookResult.accept();
    }

    private HookResult validateProgramme(OpContext c) {
        OpView op = c.op();
        if (op.sets("students") && !c.user().isSystem()) {
            return HookResult.invalid("students", "the number of confirmed students is kept by the module");
        }
        if (op.sets("quota") && op.value() instanceof Number quota) {
            long confirmed = counted(c.board(), op.itemId(), null);
            if (confirmed > quota.longValue()) {
                return HookResult.invalid("quota", "the programme already has " + confirmed + " confirmed participants");
            }
        }
        return HookResult.accept();
    }

    private HookResult validateParticipant(OpContext c) {
        OpView op = c.op();
        boolean create = op.is(OpView.Kind.CREATE);
        if (!create && !op.sets("programme") && !op.sets("stage")) return HookResult.accept();
        Object programmeId = c.fieldAfter("programme");
        ItemView programme = programmeId instanceof String id ? c.board().item(id) : null;
        if (programme == null || !PROGRAMME.equals(programme.type())) {
            return HookResult.invalid("programme", "no exchange programme '" + programmeId + "' on this board");
        }
        // Quota: only an op that makes this participant count for a programme can overfill it.
        boolean countsAfter = COUNTED_STAGES.contains(c.fieldAfter("stage"));
        boolean countedBefore = c.before() != null && COUNTED_STAGES.contains(c.before().stage())
                && programme.id().equals(c.before().field("programme"));
        if (countsAfter && !countedBefore && programme.field("quota") instanceof Number quota) {
            long others = counted(c.board(), programme.id(), op.itemId());
            if (others >= quota.longValue()) {
                String field = op.sets("programme") ? "programme" : "stage";
                return HookResult.invalid(field, "programme '" + programme.field("title") + "' is full: its quota is " + quota.longValue());
            }
        }
        return HookResult.accept();
    }

    /** Participants of {@code programmeId} that count as sent, leaving out {@code except}. */
    static long counted(BoardView board, String programmeId, String except) {
        return board.items().stream()
                .filter(i -> PARTICIPANT.equals(i.type()) && !i.id().equals(except))
                .filter(i -> programmeId.equals(i.field("programme")) && COUNTED_STAGES.contains(i.stage()))
                .count();
    }

    // ---- automation: keep `students` current ---------------------------------------------------

    @Override
    public void onApplied(AppliedOpEvent e, ModuleContext ctx) {
        OpView op = e.op();
        boolean participantChange = PARTICIPANT.equals(op.type())
                && (op.is(OpView.Kind.CREATE) || op.is(OpView.Kind.DELETE) || op.sets("stage") || op.sets("programme"));
        // A new programme gets its count at once (it may be an import with participants already there).
        boolean newProgramme = PROGRAMME.equals(op.type()) && op.is(OpView.Kind.CREATE);
        if (!participantChange && !newProgramme) return;
        // Recount every programme of the board, not just the one named: a deleted participant or one
        // moved to another programme no longer says which programme it left. The cost is one pass
        // over the board; our own follow-ups (a set of `students`) do not come back here.
        ctx.board(e.boardId()).thenAccept(board -> {
            for (ItemView p : board.items()) {
                if (!PROGRAMME.equals(p.type())) continue;
                long n = counted(board, p.id(), null);
                if (p.field("students") instanceof Number current && current.longValue() == n) continue;
                ctx.submit(e.boardId(), Map.of("kind", "set", "id", p.id(), "field", "students", "value", n))
                        .exceptionally(err -> {
                            // E.g. the programme was deleted meanwhile; the next change recounts anyway.
                            ctx.logger().debug("students of {} not updated: {}", p.id(), err.toString());
                            return null;
                        });
            }
        }).exceptionally(err -> {
            ctx.logger().warn("could not recount the programmes of board {}: {}", e.boardId(), err.toString());
            return null;
        });
    }

    // ---- report -------------------------------------------------------------------------------

    @Override
    public List<ModuleRoute> routes() {
        return List.of(ModuleRoute.get("report", this::report));
    }

    private CompletionStage<RouteResponse> report(RouteRequest req) {
        List<String> boardIds = new ArrayList<>(new LinkedHashSet<>(req.query().getOrDefault("board", List.of())));
        boardIds.removeIf(String::isBlank);
        if (boardIds.isEmpty()) {
            return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.BAD_REQUEST,
                    "name the boards to report on: ?board=B (repeatable)"));
        }
        Integer year;
        Integer baseYear;
        try {
            year = intParam(req, "year");
            baseYear = intParam(req, "baseYear");
        } catch (LinkboardException e) {
            return CompletableFuture.failedFuture(e);
        }
        ModuleContext ctx = context();
        List<CompletableFuture<BoardView>> reads = new ArrayList<>();
        for (String id : boardIds) reads.add(ctx.board(id, req.user()).toCompletableFuture());
        CompletionStage<Integer> base = baseYear != null ? CompletableFuture.completedFuture(baseYear)
                : ctx.settings(req.user().unit()).thenApply(s -> s.get("baseYear") instanceof Number n ? n.intValue() : null);
        return unwrapped(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCombine(base, (v, by) -> {
            List<BoardView> boards = reads.stream().map(CompletableFuture::join).toList();
            return RouteResponse.json(ExchangeReport.of(boards, year, by));
        }));
    }

    private static Integer intParam(RouteRequest req, String name) {
        String v = req.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new LinkboardException(ErrorCode.BAD_REQUEST, "'" + name + "' must be a year, e.g. 2019", Map.of("field", name));
        }
    }


    /** The stage's own exception instead of a CompletionException around it (which would answer INTERNAL). */
    static <T> CompletionStage<T> unwrapped(CompletionStage<T> stage) {
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) out.complete(value);
            else out.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        });
        return out;
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
