package org.linkboard.plugins.recruitment;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.api.AppliedOpEvent;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.ItemView;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.UserView;
import org.linkboard.testkit.ModuleTestKit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The foreign-teacher-recruitment module on the plugin test kit: fields, rules, follow-ups, statistics. */
class ForeignTeacherRecruitmentModuleTest {

    static final Instant NOW = Instant.parse("2026-03-10T00:00:00Z");

    ModuleTestKit kit;

    @BeforeEach
    void setUp() {
        kit = ModuleTestKit.of(ForeignTeacherRecruitmentModule.ID, new ForeignTeacherRecruitmentModule(Clock.fixed(NOW, ZoneOffset.UTC)));
        kit.apply(Map.of("kind", "create", "id", "lane-1", "type", "lane", "fields", Map.of("title", "Candidates"))).assertAccepted();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Map<String, Object> candidate(String id, Object... extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "Dr. Anna Schmidt");
        for (int i = 0; i < extra.length; i += 2) fields.put((String) extra[i], extra[i + 1]);
        return Map.of("kind", "create", "id", id, "type", "foreign-teacher-recruitment:candidate", "parent", "lane-1", "fields", fields);
    }

    private Map<String, Object> set(String id, String field, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("kind", "set");
        op.put("id", id);
        op.put("field", field);
        op.put("value", value);
        return op;
    }

    private void moveTo(String id, String... stages) {
        for (String s : stages) kit.apply(set(id, "stage", s)).assertAccepted();
    }

    private List<ItemView> cards() {
        return kit.items().stream().filter(i -> "card".equals(i.type())).sorted(java.util.Comparator.comparing(ItemView::id)).toList();
    }

    // ---- fields -------------------------------------------------------------------------------

    @Test
    void aNewCandidateStartsInSourcingAndTheStageIsRecorded() {
        kit.apply(candidate("c1")).assertAccepted();
        assertEquals("sourcing", kit.item("c1").stage());
        assertEquals(List.of("sourcing@2023-11-14T22:13:20.001Z"), kit.item("c1").field("stageLog"));
    }

    @Test
    void everyStageChangeIsAppendedToTheHistoryWithTheTimeOfTheOp() {
        kit.apply(candidate("c1")).assertAccepted();
        kit.apply(set("c1", "stage", "screening")).assertAccepted();
        AppliedOpEvent moved = kit.applied().stream().filter(e -> e.op().sets("stage")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<String> log = (List<String>) kit.item("c1").field("stageLog");
        assertEquals(2, log.size());
        assertEquals("screening@" + Instant.ofEpochMilli(moved.at()), log.get(1));
        assertEquals("system", kit.applied().get(kit.applied().size() - 1).by());
    }

    @Test
    void nameIsRequired() {
        assertEquals("name", kit.apply(Map.of("kind", "create", "id", "c1", "type", "foreign-teacher-recruitment:candidate",
                "fields", Map.of("nationality", "German"))).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void visaStatusAndSalaryBandTakeOnlyTheirValues() {
        assertEquals("visaStatus", kit.apply(candidate("c1", "visaStatus", "pending")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("salaryBand", kit.apply(candidate("c1", "salaryBand", "Z")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(candidate("c1", "visaStatus", "applied", "salaryBand", "B")).assertAccepted();
    }

    @Test
    void expectedStartIsADateAndTargetCollegeAUnit() {
        assertEquals("expectedStart", kit.apply(candidate("c1", "expectedStart", "next autumn")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("targetCollege", kit.apply(candidate("c1", "targetCollege", 7)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(candidate("c1", "expectedStart", "2026-09-01", "targetCollege", "xuteli")).assertAccepted();
    }

    // ---- rules --------------------------------------------------------------------------------

    @Test
    void anOfferNeedsASalaryBand() {
        kit.apply(candidate("c1")).assertAccepted();
        moveTo("c1", "screening", "interview");
        assertEquals("salaryBand", kit.apply(set("c1", "stage", "offer")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(set("c1", "salaryBand", "C")).assertAccepted();
        moveTo("c1", "offer");
        assertEquals("offer", kit.item("c1").stage());
    }

    @Test
    void theSalaryBandCannotBeRemovedOnceOffered() {
        kit.apply(candidate("c1", "stage", "offer", "salaryBand", "C")).assertAccepted();
        assertEquals("salaryBand", kit.apply(set("c1", "salaryBand", null)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void anImportedCandidatePastTheOfferNeedsASalaryBand() {
        assertEquals("salaryBand", kit.apply(candidate("c1", "stage", "visa")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void aCandidateCannotArriveWithoutAGrantedPermit() {
        kit.apply(candidate("c1", "stage", "onboarding", "salaryBand", "B", "visaStatus", "applied")).assertAccepted();
        assertEquals("visaStatus", kit.apply(set("c1", "stage", "arrival")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(set("c1", "visaStatus", "granted")).assertAccepted();
        moveTo("c1", "arrival");
        assertEquals("visaStatus", kit.apply(set("c1", "visaStatus", "refused")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void anImportedArrivalNeedsAGrantedPermit() {
        assertEquals("visaStatus", kit.apply(candidate("c1", "stage", "arrival", "salaryBand", "A"))
                .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(candidate("c1", "stage", "arrival", "salaryBand", "A", "visaStatus", "granted")).assertAccepted();
    }

    @Test
    void stagesCannotBeSkipped() {
        kit.apply(candidate("c1", "salaryBand", "A")).assertAccepted();
        assertEquals("stage", kit.apply(set("c1", "stage", "offer")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void aCandidateCanBeRejectedOrWithdrawAndBeReconsidered() {
        kit.apply(candidate("c1")).assertAccepted();
        moveTo("c1", "screening", "rejected", "sourcing", "withdrawn", "sourcing");
        kit.apply(candidate("c2", "stage", "arrival", "salaryBand", "A", "visaStatus", "granted")).assertAccepted();
        assertEquals("stage", kit.apply(set("c2", "stage", "withdrawn")).assertRejected(ErrorCode.VALIDATION_FAILED).field(),
                "arrival is final");
    }

    @Test
    void onlyTheModuleWritesTheStageHistory() {
        kit.apply(candidate("c1")).assertAccepted();
        assertEquals("stageLog", kit.apply(set("c1", "stageLog", List.of("offer@2020-01-01T00:00:00Z")))
                .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.as(new UserView("system", "Linkboard", "test-unit", Set.of("admin")));
        kit.apply(set("c1", "stageLog", List.of("sourcing@2020-01-01T00:00:00Z"))).assertAccepted();
    }

    // ---- follow-ups ---------------------------------------------------------------------------

    @Test
    void anOfferCreatesTheContractAndPermitCardsInTheCandidatesLane() {
        kit.apply(candidate("c1", "stage", "interview", "salaryBand", "B")).assertAccepted();
        assertEquals(List.of(), cards());

        moveTo("c1", "offer");

        List<ItemView> cards = cards();
        assertEquals(List.of("c1-offer-1", "c1-offer-2"), cards.stream().map(ItemView::id).toList());
        assertEquals("Employment contract: Dr. Anna Schmidt", cards.get(0).field("title"));
        assertEquals("Work permit and visa application: Dr. Anna Schmidt", cards.get(1).field("title"));
        assertEquals("lane-1", cards.get(0).parent());
        assertEquals("todo", cards.get(0).field("status"));
        assertEquals(List.of("follow-up", "candidate:c1"), cards.get(0).field("tags"));
        assertTrue(kit.applied().stream().filter(e -> "card".equals(e.op().type())).allMatch(AppliedOpEvent::bySystem));
    }

    @Test
    void onboardingCreatesTheHousingAndInductionCards() {
        kit.apply(candidate("c1", "stage", "visa", "salaryBand", "B")).assertAccepted();
        moveTo("c1", "onboarding");
        assertEquals(List.of("Housing: Dr. Anna Schmidt", "Induction: Dr. Anna Schmidt"),
                cards().stream().map(c -> c.field("title")).toList());
        assertEquals(List.of("c1-onboarding-1", "c1-onboarding-2"), cards().stream().map(ItemView::id).toList());
    }

    @Test
    void aCandidateCreatedAtTheOfferGetsItsCardsToo() {
        kit.apply(candidate("c1", "stage", "offer", "salaryBand", "B")).assertAccepted();
        assertEquals(2, cards().size());
    }

    @Test
    void otherStagesCreateNoCards() {
        kit.apply(candidate("c1", "salaryBand", "B", "visaStatus", "granted")).assertAccepted();
        moveTo("c1", "screening", "interview");
        assertEquals(List.of(), cards());
    }

    @Test
    void followUpsAreNeverCreatedTwiceForTheSameCandidateAndStage() {
        kit.apply(candidate("c1", "stage", "interview", "salaryBand", "B")).assertAccepted();
        moveTo("c1", "offer");
        kit.apply(Map.of("kind", "delete", "id", "c1-offer-2")).assertAccepted();
        moveTo("c1", "rejected", "sourcing", "screening", "interview", "offer");
        assertEquals(List.of("c1-offer-1"), cards().stream().map(ItemView::id).toList(),
                "a second offer does not recreate the cards of the first, not even a deleted one");
    }

    @Test
    void aCardThatAlreadyHasTheFollowUpsIdIsLeftAlone() {
        kit.apply(Map.of("kind", "create", "id", "c1-offer-1", "type", "card", "parent", "lane-1",
                "fields", Map.of("title", "Contract signed on paper", "status", "done"))).assertAccepted();
        kit.apply(candidate("c1", "stage", "interview", "salaryBand", "B")).assertAccepted();
        moveTo("c1", "offer");
        assertEquals("Contract signed on paper", kit.item("c1-offer-1").field("title"));
        assertNotNull(kit.item("c1-offer-2"));
    }

    @Test
    void theUnitsSettingsNameTheFollowUps() {
        kit.settings(Map.of("offerChecklist", List.of("Contract", "Permit", "Flight")));
        kit.apply(candidate("c1", "stage", "interview", "salaryBand", "B")).assertAccepted();
        moveTo("c1", "offer");
        assertEquals(List.of("Contract: Dr. Anna Schmidt", "Permit: Dr. Anna Schmidt", "Flight: Dr. Anna Schmidt"),
                cards().stream().map(c -> c.field("title")).toList());
    }

    @Test
    void aLongCandidateIdGetsADeterministicShortFollowUpId() {
        String longId = "c".repeat(60);
        String a = ForeignTeacherRecruitmentModule.followUpId(longId, "onboarding", 1);
        assertTrue(a.length() <= 64, a);
        assertEquals(a, ForeignTeacherRecruitmentModule.followUpId(longId, "onboarding", 1));
        assertFalse(a.equals(ForeignTeacherRecruitmentModule.followUpId("d".repeat(60), "onboarding", 1)));
        kit.apply(candidate(longId, "stage", "visa", "salaryBand", "A")).assertAccepted();
        moveTo(longId, "onboarding");
        assertNotNull(kit.item(a));
    }

    // ---- statistics ---------------------------------------------------------------------------

    @Test
    void pipelineCountsCandidatesPerStageAndAveragesTheDaysOfEachStay() {
        kit.apply(candidate("a", "stage", "interview", "stageLog", List.of(
                "sourcing@2026-03-01T00:00:00Z", "screening@2026-03-03T00:00:00Z", "interview@2026-03-08T00:00:00Z"))).assertAccepted();
        kit.apply(candidate("b", "stage", "screening", "stageLog", List.of(
                "sourcing@2026-03-05T00:00:00Z", "screening@2026-03-09T00:00:00Z"))).assertAccepted();
        kit.apply(candidate("c", "stage", "rejected", "stageLog", List.of(
                "sourcing@2026-03-01T00:00:00Z", "rejected@2026-03-02T00:00:00Z"))).assertAccepted();

        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) kit.route("GET", "pipeline?board=test-board", null).json();

        assertEquals("test-board", body.get("board"));
        assertEquals("2026-03-10T00:00:00Z", body.get("asOf"));
        assertEquals(3, ((Number) body.get("total")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> stages = new LinkedHashMap<>();
        for (Object o : (List<?>) body.get("stages")) {
            @SuppressWarnings("unchecked") Map<String, Object> row = (Map<String, Object>) o;
            stages.put((String) row.get("id"), row);
        }
        assertEquals(List.of("sourcing", "screening", "interview", "offer", "visa", "onboarding", "arrival", "rejected", "withdrawn"),
                List.copyOf(stages.keySet()));
        assertStage(stages.get("sourcing"), 0, 3, 2.3);   // 2, 4 and 1 days
        assertStage(stages.get("screening"), 1, 2, 3.0); // 5 days, and 1 day so far
        assertStage(stages.get("interview"), 1, 1, 2.0); // 2 days so far
        assertStage(stages.get("rejected"), 1, 0, null); // final: no stay
        assertStage(stages.get("offer"), 0, 0, null);
        assertEquals("Work permit / visa", stages.get("visa").get("name"));
    }

    private static void assertStage(Map<String, Object> row, int count, int stays, Double averageDays) {
        assertEquals(count, ((Number) row.get("count")).intValue(), row.toString());
        assertEquals(stays, ((Number) row.get("stays")).intValue(), row.toString());
        if (averageDays == null) assertNull(row.get("averageDays"), row.toString());
        else assertEquals(averageDays, ((Number) row.get("averageDays")).doubleValue(), 1e-9, row.toString());
    }

    @Test
    void pipelineNeedsAReadableBoard() {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(LinkboardException.class, () -> kit.route("GET", "pipeline", null)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(LinkboardException.class, () -> kit.route("GET", "pipeline?board=x", null)).code());
        kit.as(new UserView("m", "Mech", "mech", Set.of("editor")));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(LinkboardException.class, () -> kit.route("GET", "pipeline?board=test-board", null)).code());
    }

    // ---- declarations -------------------------------------------------------------------------

    @Test
    void theBoardTemplateFollowsThePipeline() {
        assertEquals(List.of("Sourcing", "Screening", "Interview", "Offer", "Work permit / visa", "Onboarding", "Arrived"),
                new ForeignTeacherRecruitmentModule().boardTemplates().get(0).lanes());
    }

    @Test
    void theWebAssetRendersWithTextOnly() {
        String js = kit.asset("recruitment.js");
        assertTrue(js.contains("export function render(item, type, el, board)"));
        assertFalse(js.contains("innerHTML"));
    }
}
