package org.linkboard.plugins.recruitment;

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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundled module {@code foreign-teacher-recruitment}: the pipeline of foreign teacher
 * candidates, from sourcing to arrival on campus (docs/modules.md).
 *
 * <ul>
 * <li>Item type {@code candidate}, workflow sourcing → screening → interview → offer → visa (work
 *     permit and visa) → onboarding → arrival, plus {@code rejected} and {@code withdrawn}.</li>
 * <li>Rules: an offer needs a salary band; a candidate arrives only with a granted permit
 *     ({@code visaStatus} {@code granted}); the stage history is written by the module alone.</li>
 * <li>Automation: every stage change is recorded in the candidate's {@code stageLog}
 *     ({@link StageLog}); on first reaching {@code offer} or {@code onboarding} the candidate gets
 *     follow-up cards (contract and work permit; housing and induction — titles from the unit's
 *     settings) in its lane.</li>
 * <li>Route {@code GET pipeline?board=B}: candidates per stage and average days per stage
 *     ({@link PipelineStatistics}).</li>
 * </ul>
 *
 * <p>Thread-safe: besides the volatile context and an immutable clock, the module keeps only the
 * pending stage recordings per candidate, in a concurrent map that empties as they complete.
 */
@Extension
public class ForeignTeacherRecruitmentModule implements LinkboardModule {

    public static final String ID = "foreign-teacher-recruitment";
    static final String CANDIDATE = ID + ":candidate";

    /** Stages that come with (or after) an offer: they need a salary band. */
    static final Set<String> OFFER_STAGES = Set.of("offer", "visa", "onboarding", "arrival");
    /** Stages where the pipeline ends: time spent in them is not a pipeline delay. */
    static final Set<String> FINAL_STAGES = Set.of("arrival", "rejected", "withdrawn");

    /** Follow-up cards per stage when the unit has not set its own titles. */
    static final Map<String, List<String>> DEFAULT_CHECKLISTS = Map.of(
            "offer", List.of("Employment contract", "Work permit and visa application"),
            "onboarding", List.of("Housing", "Induction"));
    /** The setting that overrides the follow-up titles of a stage. */
    static final Map<String, String> CHECKLIST_SETTING = Map.of("offer", "offerChecklist", "onboarding", "onboardingChecklist");

    static final List<StageSpec> STAGES = List.of(
            StageSpec.of("sourcing", "Sourcing", "screening", "rejected", "withdrawn"),
            StageSpec.of("screening", "Screening", "interview", "rejected", "withdrawn"),
            StageSpec.of("interview", "Interview", "offer", "screening", "rejected", "withdrawn"),
            StageSpec.of("offer", "Offer", "visa", "rejected", "withdrawn"),
            StageSpec.of("visa", "Work permit / visa", "onboarding", "rejected", "withdrawn"),
            StageSpec.of("onboarding", "Onboarding", "arrival", "withdrawn"),
            StageSpec.of("arrival", "Arrived"),
            // A rejected or withdrawn candidate may be reconsidered in a later round.
            StageSpec.of("rejected", "Rejected", "sourcing"),
            StageSpec.of("withdrawn", "Withdrawn", "sourcing"));

    private final Clock clock;
    private volatile ModuleContext context;

    /** The constructor PF4J uses. */
    public ForeignTeacherRecruitmentModule() {
        this(Clock.systemUTC());
    }

    /** With a fixed clock for tests ("now" of the statistics). */
    ForeignTeacherRecruitmentModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "Foreign teacher recruitment";
    }

    @Override
    public List<ItemTypeSpec> itemTypes() {
        return List.of(ItemTypeSpec.builder("candidate").name("Teacher candidate").icon("🧑‍🏫")
                .description("A foreign teacher on the way from first contact to arrival on campus.")
                .field(FieldSpec.builder("name", FieldType.STRING).label("Name").required().maxLength(200).build())
                .field(FieldSpec.builder("nationality", FieldType.STRING).label("Nationality").maxLength(100).build())
                .field(FieldSpec.builder("discipline", FieldType.STRING).label("Discipline").maxLength(100).build())
                .field(FieldSpec.builder("highestDegree", FieldType.STRING).label("Highest degree").maxLength(100).build())
                .field(FieldSpec.builder("targetCollege", FieldType.UNIT).label("Target college").build())
                .field(FieldSpec.builder("expectedStart", FieldType.DATE).label("Expected start").build())
                .field(FieldSpec.builder("visaStatus", FieldType.ENUM).label("Work permit / visa")
                        .values("not-started", "applied", "granted", "refused")
                        .help("must be granted before the candidate can arrive").build())
                .field(FieldSpec.builder("salaryBand", FieldType.ENUM).label("Salary band").values("A", "B", "C", "D", "E")
                        .help("required from the offer on").build())
                .field(FieldSpec.builder("notes", FieldType.TEXT).label("Notes").maxLength(20_000).build())
                .field(FieldSpec.builder("stageLog", FieldType.LIST).label("Stage history").maxLength(500)
                        .help("kept by the module: when the candidate entered each stage").build())
                .stages(STAGES)
                .build());
    }

    @Override
    public List<FieldSpec> settingsSchema() {
        return List.of(
                FieldSpec.builder("offerChecklist", FieldType.LIST).label("Follow-up cards when an offer is made")
                        .maxLength(20).help("default: Employment contract, Work permit and visa application").build(),
                FieldSpec.builder("onboardingChecklist", FieldType.LIST).label("Follow-up cards when onboarding starts")
                        .maxLength(20).help("default: Housing, Induction").build());
    }

    @Override
    public List<BoardTemplate> boardTemplates() {
        return List.of(new BoardTemplate("teacher-recruitment", "Foreign teacher recruitment",
                "One lane per stage of the candidate pipeline.",
                STAGES.stream().filter(s -> !s.id().equals("rejected") && !s.id().equals("withdrawn")).map(StageSpec::name).toList()));
    }

    @Override
    public WebAssets webAssets() {
        return WebAssets.entry("recruitment.js");
    }

    // ---- rules --------------------------------------------------------------------------------

    @Override
    public HookResult validate(OpContext c) {
        OpView op = c.op();
        if (!CANDIDATE.equals(op.type())) return HookResult.accept();
        if (op.sets("stageLog") && !c.user().isSystem()) {
            return HookResult.invalid("stageLog", "the stage history is kept by the module");
        }
        boolean create = op.is(OpView.Kind.CREATE);
        Object stage = c.fieldAfter("stage");
        if ((create || op.sets("stage") || op.sets("salaryBand"))
                && OFFER_STAGES.contains(stage) && c.fieldAfter("salaryBand") == null) {
            return HookResult.invalid("salaryBand", "an offer needs a salary band");
        }
        if ((create || op.sets("stage") || op.sets("visaStatus"))
                && "arrival".equals(stage) && !"granted".equals(c.fieldAfter("visaStatus"))) {
            return HookResult.invalid("visaStatus", "a candidate cannot arrive without a work permit: the visa status must be granted");
        }
        return HookResult.accept();
    }

    // ---- automation ---------------------------------------------------------------------------

    /**
     * Per candidate ({@code board/item}), the end of its chain of pending stage recordings. The
     * {@code stageLog} is written whole by each recording, so two recordings of one candidate
     * must not overlap: the second would start from a log without the first's entry and drop it.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> recordings = new ConcurrentHashMap<>();

    @Override
    public void onApplied(AppliedOpEvent e, ModuleContext ctx) {
        OpView op = e.op();
        ItemView candidate = e.item();
        if (!CANDIDATE.equals(op.type()) || candidate == null || candidate.stage() == null) return;
        if (!op.is(OpView.Kind.CREATE) && !op.sets("stage")) return;
        String key = e.boardId() + "/" + candidate.id();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = recordings.put(key, mine);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                .thenCompose(v -> record(e, ctx, candidate.id(), candidate.stage()))
                .whenComplete((v, err) -> {
                    if (err != null) ctx.logger().warn("stage {} of candidate {} not recorded: {}", candidate.stage(), candidate.id(), err.toString());
                    recordings.remove(key, mine);
                    mine.complete(null);
                });
    }

    /**
     * Records that the candidate entered {@code stage} at the event's time and, on its first entry
     * into offer or onboarding, creates its follow-up cards. Reads the board afresh, after the
     * previous recording of the same candidate is durable.
     */
    private CompletableFuture<Void> record(AppliedOpEvent e, ModuleContext ctx, String id, String stage) {
        return ctx.board(e.boardId()).thenCompose(board -> {
            ItemView candidate = board.item(id);
            if (candidate == null || !CANDIDATE.equals(candidate.type())) {
                return CompletableFuture.<Void>completedFuture(null);   // deleted meanwhile
            }
            StageLog log = StageLog.of(candidate.field("stageLog"));
            // Follow-ups once per candidate and stage: a second visit (offer → rejected → … → offer)
            // finds the stage in the log and leaves the cards of the first visit as they are.
            CompletableFuture<Void> followUps = DEFAULT_CHECKLISTS.containsKey(stage) && !log.visited(stage)
                    ? createFollowUps(e, ctx, board, candidate, stage) : CompletableFuture.completedFuture(null);
            // An import may bring its history along; only a stage the log does not end with is new.
            if (stage.equals(log.currentStage())) return followUps;
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("kind", "set");
            set.put("id", id);
            set.put("field", "stageLog");
            set.put("value", log.append(stage, Instant.ofEpochMilli(e.at())));
            return ctx.submit(e.boardId(), set).toCompletableFuture().thenCombine(followUps, (seq, v) -> (Void) null);
        }).toCompletableFuture();
    }

    private CompletableFuture<Void> createFollowUps(AppliedOpEvent e, ModuleContext ctx, BoardView board, ItemView candidate, String stage) {
        return ctx.settings(e.unit()).thenCompose(settings -> {
            List<String> titles = checklist(settings, stage);
            List<CompletableFuture<?>> creates = new ArrayList<>();
            for (int n = 1; n <= titles.size(); n++) {
                String cardId = followUpId(candidate.id(), stage, n);
                // Deterministic ids: a card that exists already is not made again (and a create
                // racing with another would be refused by the server as ID_TAKEN).
                if (board.item(cardId) != null) continue;
                creates.add(ctx.submit(e.boardId(), followUpCard(cardId, candidate, stage, titles.get(n - 1)))
                        .toCompletableFuture()
                        .exceptionally(err -> {
                            ctx.logger().debug("follow-up {} not created: {}", cardId, err.toString());
                            return null;
                        }));
            }
            return CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new));
        }).toCompletableFuture();
    }

    static List<String> checklist(Map<String, Object> settings, String stage) {
        Object own = settings.get(CHECKLIST_SETTING.get(stage));
        if (own instanceof List<?> list) {
            List<String> titles = new ArrayList<>();
            for (Object o : list) if (o instanceof String s && !s.isBlank()) titles.add(s.strip());
            return titles;
        }
        return DEFAULT_CHECKLISTS.get(stage);
    }

    /** A built-in card in the candidate's lane, titled with the task and the candidate's name. */
    static Map<String, Object> followUpCard(String cardId, ItemView candidate, String stage, String task) {
        String name = String.valueOf(candidate.field("name"));
        String stageName = STAGES.stream().filter(s -> s.id().equals(stage)).findFirst().map(StageSpec::name).orElse(stage);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", truncate(task + ": " + name, 200));
        fields.put("description", truncate("Follow-up of " + name + " reaching " + stageName + " (created by Linkboard).", 20_000));
        fields.put("status", "todo");
        // The candidate's id in a tag lets the web asset show the checklist's progress on the candidate.
        fields.put("tags", List.of("follow-up", "candidate:" + candidate.id()));
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("kind", "create");
        op.put("id", cardId);
        op.put("type", "card");
        if (candidate.parent() != null) op.put("parent", candidate.parent());
        op.put("fields", fields);
        return op;
    }

    /**
     * {@code <candidate>-<stage>-<n>}; for a candidate id too long for that (item ids have at most
     * 64 characters) a digest of it takes its place, so the id stays deterministic.
     */
    static String followUpId(String candidateId, String stage, int n) {
        String suffix = "-" + stage + "-" + n;
        if (candidateId.length() + suffix.length() <= 64) return candidateId + suffix;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(candidateId.getBytes(StandardCharsets.UTF_8));
            return "cand-" + HexFormat.of().formatHex(d, 0, 12) + suffix;
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String truncate(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    // ---- statistics ---------------------------------------------------------------------------

    @Override
    public List<ModuleRoute> routes() {
        return List.of(ModuleRoute.get("pipeline", this::pipeline));
    }

    private CompletionStage<RouteResponse> pipeline(RouteRequest req) {
        String boardId = req.queryParam("board");
        if (boardId == null || boardId.isBlank()) {
            return CompletableFuture.failedFuture(new LinkboardException(ErrorCode.BAD_REQUEST, "query parameter 'board' is required"));
        }
        return unwrapped(context().board(boardId, req.user()).thenApply(board -> {
            return RouteResponse.json(PipelineStatistics.of(board, STAGES, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        }));
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
