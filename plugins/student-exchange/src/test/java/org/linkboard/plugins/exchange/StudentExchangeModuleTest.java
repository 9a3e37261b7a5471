package org.linkboard.plugins.exchange;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.UserView;
import org.linkboard.testkit.ModuleTestKit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The student-exchange module on the plugin test kit: fields, rules, the students count, the report. */
class StudentExchangeModuleTest {

    ModuleTestKit kit;

    @BeforeEach
    void setUp() {
        kit = ModuleTestKit.of(StudentExchangeModule.ID, new StudentExchangeModule());
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Map<String, Object> programme(String id, Object... extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", "Programme " + id);
        fields.put("partner", "Osaka University");
        fields.put("country", "Japan");
        for (int i = 0; i < extra.length; i += 2) fields.put((String) extra[i], extra[i + 1]);
        return Map.of("kind", "create", "id", id, "type", "student-exchange:programme", "fields", fields);
    }

    private Map<String, Object> participant(String id, String programme, Object... extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("studentName", "Student " + id);
        fields.put("studentId", "S-" + id);
        fields.put("programme", programme);
        for (int i = 0; i < extra.length; i += 2) fields.put((String) extra[i], extra[i + 1]);
        return Map.of("kind", "create", "id", id, "type", "student-exchange:participant", "fields", fields);
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

    private long students(String programme) {
        return ((Number) kit.item(programme).field("students")).longValue();
    }

    // ---- programme fields ---------------------------------------------------------------------

    @Test
    void aProgrammeNeedsTitlePartnerAndCountry() {
        for (String missing : List.of("title", "partner", "country")) {
            Map<String, Object> fields = new LinkedHashMap<>(Map.of("title", "T", "partner", "P", "country", "C"));
            fields.remove(missing);
            assertEquals(missing, kit.apply(Map.of("kind", "create", "id", "p1", "type", "student-exchange:programme", "fields", fields))
                    .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        }
    }

    @Test
    void levelQuotaAndYearAreChecked() {
        assertEquals("level", kit.apply(programme("p1", "level", "doctoral")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("quota", kit.apply(programme("p1", "quota", 2.5)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("quota", kit.apply(programme("p1", "quota", -1)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("year", kit.apply(programme("p1", "year", 26)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(programme("p1", "level", "undergraduate", "quota", 10, "year", 2026, "duration", "one semester", "term", "Autumn"))
                .assertAccepted();
    }

    @Test
    void aNewProgrammeStartsWithZeroStudents() {
        kit.apply(programme("p1")).assertAccepted();
        assertEquals(0, students("p1"));
    }

    @Test
    void onlyTheModuleWritesTheStudentsCount() {
        kit.apply(programme("p1")).assertAccepted();
        assertEquals("students", kit.apply(set("p1", "students", 40)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.as(new UserView("system", "Linkboard", "test-unit", Set.of("admin")));
        kit.apply(set("p1", "students", 0)).assertAccepted();
    }

    // ---- participant fields and stages --------------------------------------------------------

    @Test
    void aParticipantNeedsNameStudentIdAndProgramme() {
        kit.apply(programme("p1")).assertAccepted();
        for (String missing : List.of("studentName", "studentId", "programme")) {
            Map<String, Object> fields = new LinkedHashMap<>(Map.of("studentName", "Li Wei", "studentId", "2023001", "programme", "p1"));
            fields.remove(missing);
            assertEquals(missing, kit.apply(Map.of("kind", "create", "id", "s1", "type", "student-exchange:participant", "fields", fields))
                    .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        }
    }

    @Test
    void aParticipantNamesAProgrammeOfThisBoard() {
        kit.apply(Map.of("kind", "create", "id", "lane", "type", "lane", "fields", Map.of("title", "Lane"))).assertAccepted();
        assertEquals("programme", kit.apply(participant("s1", "nowhere")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("programme", kit.apply(participant("s1", "lane")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(participant("s1", "p1")).assertAccepted();
        assertEquals("programme", kit.apply(set("s1", "programme", "lane")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void creditTransferTakesOnlyItsValues() {
        kit.apply(programme("p1")).assertAccepted();
        assertEquals("creditTransfer", kit.apply(participant("s1", "p1", "creditTransfer", "done")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(participant("s1", "p1", "creditTransfer", "pending")).assertAccepted();
    }

    @Test
    void aParticipantGoesFromApplicationToReturnInOrder() {
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(participant("s1", "p1")).assertAccepted();
        assertEquals("application", kit.item("s1").stage());
        assertEquals("stage", kit.apply(set("s1", "stage", "confirmed")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        moveTo("s1", "nomination", "confirmed", "departed", "returned");
        assertEquals("stage", kit.apply(set("s1", "stage", "withdrawn")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void aWithdrawnApplicantMayApplyAgain() {
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(participant("s1", "p1")).assertAccepted();
        moveTo("s1", "withdrawn", "application");
    }

    // ---- the students count -------------------------------------------------------------------

    @Test
    void studentsCountsParticipantsConfirmedOrLater() {
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(participant("s1", "p1")).assertAccepted();
        kit.apply(participant("s2", "p1", "stage", "nomination")).assertAccepted();
        assertEquals(0, students("p1"));

        moveTo("s1", "nomination", "confirmed");
        assertEquals(1, students("p1"));
        moveTo("s2", "confirmed");
        assertEquals(2, students("p1"));
        moveTo("s1", "departed", "returned");
        assertEquals(2, students("p1"), "departed and returned students still count");
        assertTrue(kit.applied().stream().filter(e -> e.op().sets("students")).allMatch(e -> e.bySystem()));
    }

    @Test
    void aWithdrawalOrADeletionLowersTheCount() {
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(participant("s1", "p1", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("s2", "p1", "stage", "confirmed")).assertAccepted();
        assertEquals(2, students("p1"));
        moveTo("s1", "withdrawn");
        assertEquals(1, students("p1"));
        kit.apply(Map.of("kind", "delete", "id", "s2")).assertAccepted();
        assertEquals(0, students("p1"));
    }

    @Test
    void movingAParticipantToAnotherProgrammeRecountsBoth() {
        kit.apply(programme("p1")).assertAccepted();
        kit.apply(programme("p2")).assertAccepted();
        kit.apply(participant("s1", "p1", "stage", "confirmed")).assertAccepted();
        kit.apply(set("s1", "programme", "p2")).assertAccepted();
        assertEquals(0, students("p1"));
        assertEquals(1, students("p2"));
    }

    @Test
    void anImportedProgrammeCountsTheParticipantsAlreadyThere() {
        kit.apply(programme("p1", "students", 99)).assertAccepted();
        assertEquals(0, students("p1"), "a figure given on create is corrected to the real count");
    }

    @Test
    void countingDoesNotReactToItsOwnUpdates() {
        kit.apply(programme("p1")).assertAccepted();
        int before = kit.applied().size();
        kit.apply(participant("s1", "p1", "stage", "confirmed")).assertAccepted();
        assertEquals(before + 2, kit.applied().size(), "the participant, then one update of students");
        kit.apply(set("s1", "notes", "Prefers a dormitory")).assertAccepted();
        assertEquals(before + 3, kit.applied().size(), "an unrelated change triggers no recount");
    }

    // ---- quota --------------------------------------------------------------------------------

    @Test
    void aFullProgrammeConfirmsNoMoreParticipants() {
        kit.apply(programme("p1", "quota", 1)).assertAccepted();
        kit.apply(participant("s1", "p1", "stage", "nomination")).assertAccepted();
        kit.apply(participant("s2", "p1", "stage", "nomination")).assertAccepted();
        moveTo("s1", "confirmed");
        assertEquals("stage", kit.apply(set("s2", "stage", "confirmed")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("stage", kit.apply(participant("s3", "p1", "stage", "departed")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        moveTo("s1", "departed");
        assertEquals(1, students("p1"), "a participant who already counts moves on at quota");
    }

    @Test
    void aConfirmedParticipantCannotMoveIntoAFullProgramme() {
        kit.apply(programme("p1", "quota", 1)).assertAccepted();
        kit.apply(programme("p2")).assertAccepted();
        kit.apply(participant("s1", "p1", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("s2", "p2", "stage", "confirmed")).assertAccepted();
        assertEquals("programme", kit.apply(set("s2", "programme", "p1")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void theQuotaCannotDropBelowTheConfirmedParticipants() {
        kit.apply(programme("p1", "quota", 5)).assertAccepted();
        kit.apply(participant("s1", "p1", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("s2", "p1", "stage", "confirmed")).assertAccepted();
        assertEquals("quota", kit.apply(set("p1", "quota", 1)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(set("p1", "quota", 2)).assertAccepted();
    }

    // ---- report -------------------------------------------------------------------------------

    private void knownDataSet() {
        kit.apply(programme("jp19", "country", "Japan", "year", 2019)).assertAccepted();
        kit.apply(programme("de19", "country", "Germany", "year", 2019)).assertAccepted();
        kit.apply(programme("jp26", "country", "Japan", "year", 2026)).assertAccepted();
        kit.apply(programme("de26", "country", "Germany", "year", 2026)).assertAccepted();
        kit.apply(programme("fr26", "country", "France", "year", 2026)).assertAccepted();
        // 2019: 2 sent (Japan 1, Germany 1). 2026: 5 sent — Germany 3, Japan 1, France 1; +150 %.
        kit.apply(participant("a", "jp19", "stage", "returned")).assertAccepted();
        kit.apply(participant("b", "de19", "stage", "returned")).assertAccepted();
        kit.apply(participant("c", "de26", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("d", "de26", "stage", "departed")).assertAccepted();
        kit.apply(participant("e", "de26", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("f", "jp26", "stage", "confirmed")).assertAccepted();
        kit.apply(participant("g", "fr26", "stage", "returned")).assertAccepted();
        // Not sent: still applying, nominated, or withdrawn.
        kit.apply(participant("h", "jp26")).assertAccepted();
        kit.apply(participant("i", "jp26", "stage", "nomination")).assertAccepted();
        kit.apply(participant("j", "fr26", "stage", "withdrawn")).assertAccepted();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> report(String query) {
        return (Map<String, Object>) kit.route("GET", "report?" + query, null).json();
    }

    @Test
    void reportCountsSentStudentsPerCountryCollegeAndYearAgainstTheBaseYear() {
        knownDataSet();
        Map<String, Object> r = report("board=test-board&baseYear=2019&year=2026");

        assertEquals(List.of("test-board"), r.get("boards"));
        assertEquals(2026, r.get("year"));
        assertEquals(5L, r.get("participants"));
        assertEquals(List.of(Map.of("country", "Germany", "participants", 3L), Map.of("country", "France", "participants", 1L),
                Map.of("country", "Japan", "participants", 1L)), r.get("byCountry"));
        assertEquals(List.of(Map.of("unit", "test-unit", "participants", 5L)), r.get("byCollege"));
        assertEquals(List.of(Map.of("year", 2019, "participants", 2L), Map.of("year", 2026, "participants", 5L)), r.get("byYear"));
        Map<String, Object> change = (Map<String, Object>) r.get("change");
        assertEquals(2019, change.get("baseYear"));
        assertEquals(2L, change.get("base"));
        assertEquals(2026, change.get("year"));
        assertEquals(5L, change.get("current"));
        assertEquals(3L, change.get("change"));
        assertEquals(150.0, change.get("changePercent"));
    }

    @Test
    void withoutAYearTheReportCoversEveryYearAndComparesTheLatest() {
        knownDataSet();
        Map<String, Object> r = report("board=test-board&baseYear=2019");
        assertNull(r.get("year"));
        assertEquals(7L, r.get("participants"));
        assertEquals(Map.of("country", "Germany", "participants", 4L), ((List<?>) r.get("byCountry")).get(0));
        assertEquals(2026, ((Map<?, ?>) r.get("change")).get("year"));
    }

    @Test
    void theBaseYearComesFromTheUnitsSettingsWhenTheRequestNamesNone() {
        knownDataSet();
        assertNull(report("board=test-board").get("change"), "no base year, no change");
        kit.settings(Map.of("baseYear", 2019));
        assertEquals(150.0, ((Map<?, ?>) report("board=test-board").get("change")).get("changePercent"));
    }

    @Test
    void aBaseYearWithoutStudentsHasNoPercentage() {
        knownDataSet();
        Map<?, ?> change = (Map<?, ?>) report("board=test-board&baseYear=2010").get("change");
        assertEquals(0L, change.get("base"));
        assertNull(change.get("changePercent"));
        assertTrue(change.containsKey("changePercent"));
    }

    @Test
    void reportRefusesBadRequestsAndForeignBoards() {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(LinkboardException.class, () -> kit.route("GET", "report", null)).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(LinkboardException.class,
                () -> kit.route("GET", "report?board=test-board&baseYear=last", null)).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(LinkboardException.class,
                () -> kit.route("GET", "report?board=test-board&board=other", null)).code());
        kit.as(new UserView("m", "Mech", "mech", Set.of("editor")));
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(LinkboardException.class,
                () -> kit.route("GET", "report?board=test-board", null)).code());
    }

    // ---- declarations -------------------------------------------------------------------------

    @Test
    void theBoardTemplateHasAProgrammeLaneAndTheParticipantStages() {
        assertEquals(List.of("Programmes", "Application", "Nomination", "Confirmed", "Departed", "Returned"),
                new StudentExchangeModule().boardTemplates().get(0).lanes());
    }

    @Test
    void theWebAssetRendersWithTextOnly() {
        String js = kit.asset("exchange.js");
        assertTrue(js.contains("export function render(item, type, el, board)"));
        assertFalse(js.contains("innerHTML"));
    }
}
