package org.linkboard.plugins.courses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.api.BoardTemplate;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.StageSpec;
import org.linkboard.api.UserView;
import org.linkboard.testkit.ModuleTestKit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The course-introduction module on the plugin test kit: its fields, registrar rules and catalogue. */
class CourseIntroductionModuleTest {

    ModuleTestKit kit;

    @BeforeEach
    void setUp() {
        kit = ModuleTestKit.of(CourseIntroductionModule.ID, new CourseIntroductionModule());
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Map<String, Object> course(String id, Object... extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", "Course " + id);
        fields.put("partnerUniversity", "Partner University");
        for (int i = 0; i < extra.length; i += 2) fields.put((String) extra[i], extra[i + 1]);
        return Map.of("kind", "create", "id", id, "type", "course-introduction:course", "fields", fields);
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

    // ---- fields -------------------------------------------------------------------------------

    @Test
    void aNewCourseStartsAsAProposal() {
        kit.apply(course("c1")).assertAccepted();
        assertEquals("proposal", kit.item("c1").stage());
    }

    @Test
    void titleAndPartnerUniversityAreRequired() {
        assertEquals("title", kit.apply(Map.of("kind", "create", "id", "c1", "type", "course-introduction:course",
                "fields", Map.of("partnerUniversity", "TU Munich"))).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("partnerUniversity", kit.apply(Map.of("kind", "create", "id", "c1", "type", "course-introduction:course",
                "fields", Map.of("title", "Robotics"))).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void creditsMustLieBetweenHalfACreditAndThirty() {
        assertEquals("credits", kit.apply(course("c1", "credits", 0.4)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("credits", kit.apply(course("c1", "credits", 30.5)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("credits", kit.apply(course("c1", "credits", "three")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(course("c1", "credits", 0.5)).assertAccepted();
        kit.apply(course("c2", "credits", 30)).assertAccepted();
        assertEquals("credits", kit.apply(set("c2", "credits", 0)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void hoursAreAWholePositiveNumber() {
        assertEquals("hours", kit.apply(course("c1", "hours", 12.5)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("hours", kit.apply(course("c1", "hours", 0)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(course("c1", "hours", 48)).assertAccepted();
    }

    @Test
    void evaluationScoreIsAPercentage() {
        assertEquals("evaluationScore", kit.apply(course("c1", "evaluationScore", 101)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(course("c1", "evaluationScore", 87)).assertAccepted();
    }

    @Test
    void unknownFieldsAreRejected() {
        assertEquals("fee", kit.apply(course("c1", "fee", 100)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    // ---- stages -------------------------------------------------------------------------------

    @Test
    void aProposalCannotSkipEvaluation() {
        kit.apply(course("c1", "evaluation", "Strong syllabus")).assertAccepted();
        assertEquals("stage", kit.apply(set("c1", "stage", "approval")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void approvalNeedsAnEvaluation() {
        kit.apply(course("c1")).assertAccepted();
        moveTo("c1", "evaluation");
        assertEquals("evaluation", kit.apply(set("c1", "stage", "approval")).assertRejected(ErrorCode.VALIDATION_FAILED).field());

        kit.apply(set("c1", "evaluation", "   ")).assertAccepted();
        assertEquals("evaluation", kit.apply(set("c1", "stage", "approval")).assertRejected(ErrorCode.VALIDATION_FAILED).field(),
                "a blank evaluation is no evaluation");

        kit.apply(set("c1", "evaluation", "Matches our Control Theory II; recommended.")).assertAccepted();
        moveTo("c1", "approval");
        assertEquals("approval", kit.item("c1").stage());
    }

    @Test
    void anApprovedCourseKeepsItsEvaluation() {
        kit.apply(course("c1", "evaluation", "Good")).assertAccepted();
        moveTo("c1", "evaluation", "approval");
        assertEquals("evaluation", kit.apply(set("c1", "evaluation", null)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("evaluation", kit.apply(set("c1", "evaluation", "")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void aScheduledCourseNeedsATerm() {
        kit.apply(course("c1", "evaluation", "Good")).assertAccepted();
        moveTo("c1", "evaluation", "approval");
        assertEquals("term", kit.apply(set("c1", "stage", "scheduling")).assertRejected(ErrorCode.VALIDATION_FAILED).field());

        kit.apply(set("c1", "term", "2026 Autumn")).assertAccepted();
        moveTo("c1", "scheduling", "running", "review");
        assertEquals("term", kit.apply(set("c1", "term", null)).assertRejected(ErrorCode.VALIDATION_FAILED).field());
    }

    @Test
    void anImportedCourseMeetsTheRulesOfItsStage() {
        assertEquals("evaluation", kit.apply(course("c1", "stage", "running", "term", "2026 Spring"))
                .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        assertEquals("term", kit.apply(course("c1", "stage", "running", "evaluation", "Good"))
                .assertRejected(ErrorCode.VALIDATION_FAILED).field());
        kit.apply(course("c1", "stage", "running", "evaluation", "Good", "term", "2026 Spring")).assertAccepted();
    }

    @Test
    void aProposalCanBeWithdrawnAndReopened() {
        kit.apply(course("c1")).assertAccepted();
        moveTo("c1", "withdrawn", "proposal");
        assertEquals("proposal", kit.item("c1").stage());
    }

    @Test
    void evaluationCanRejectOrSendBackForRevision() {
        kit.apply(course("c1")).assertAccepted();
        moveTo("c1", "evaluation", "proposal", "evaluation", "rejected");
        assertEquals("stage", kit.apply(set("c1", "stage", "scheduling")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        moveTo("c1", "proposal");
    }

    @Test
    void aRunningCourseCanOnlyGoToReview() {
        kit.apply(course("c1", "stage", "running", "evaluation", "Good", "term", "2026 Spring")).assertAccepted();
        assertEquals("stage", kit.apply(set("c1", "stage", "withdrawn")).assertRejected(ErrorCode.VALIDATION_FAILED).field());
        moveTo("c1", "review", "scheduling");
    }

    @Test
    void theRulesLeaveOtherFieldsOfACourseEditable() {
        kit.apply(course("c1", "evaluation", "Good", "term", "2026 Spring")).assertAccepted();
        moveTo("c1", "evaluation", "approval", "scheduling");
        kit.apply(set("c1", "instructor", "Prof. Tanaka")).assertAccepted();
        assertEquals("Prof. Tanaka", kit.item("c1").field("instructor"));
    }

    // ---- catalogue ----------------------------------------------------------------------------

    @Test
    void catalogueListsApprovedCoursesAsCsv() {
        kit.apply(course("c-ai", "title", "Applied AI", "partnerUniversity", "TU Munich", "country", "Germany",
                "teachingLanguage", "English", "discipline", "Computer science", "credits", 3, "hours", 48,
                "term", "2026 Autumn", "instructor", "Prof. Weber", "localCourseCode", "CS301", "localCourseName",
                "Artificial Intelligence", "evaluation", "Good", "stage", "running")).assertAccepted();
        kit.apply(course("c-q", "title", "Quality, \"Six Sigma\"\nand lean", "partnerUniversity", "Osaka University",
                "country", "Japan", "credits", 2.5, "evaluation", "Good", "stage", "approval")).assertAccepted();
        kit.apply(course("c-f", "title", "=HYPERLINK(\"http://x\")", "partnerUniversity", "Formula U",
                "evaluation", "Fine", "stage", "approval")).assertAccepted();
        kit.apply(course("c-new", "title", "Still a proposal")).assertAccepted();
        kit.apply(course("c-eval", "title", "Under evaluation", "stage", "evaluation")).assertAccepted();
        kit.apply(course("c-no", "title", "Rejected one", "stage", "rejected")).assertAccepted();

        RouteResponse r = kit.route("GET", "catalogue.csv?board=test-board", null);

        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/csv"), r.contentType());
        assertEquals("attachment; filename=\"catalogue-test-board.csv\"", r.headers().get("Content-Disposition"));
        assertEquals("""
                id,title,partner university,country,teaching language,discipline,credits,hours,term,instructor,local course code,local course name,stage\r
                c-f,"'=HYPERLINK(""http://x"")",Formula U,,,,,,,,,,approval\r
                c-q,"Quality, ""Six Sigma""
                and lean",Osaka University,Japan,,,2.5,,,,,,approval\r
                c-ai,Applied AI,TU Munich,Germany,English,Computer science,3,48,2026 Autumn,Prof. Weber,CS301,Artificial Intelligence,running\r
                """, new String(r.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void catalogueOfABoardWithoutApprovedCoursesIsTheHeaderAlone() {
        kit.apply(course("c1")).assertAccepted();
        String csv = new String(kit.route("GET", "catalogue.csv?board=test-board", null).bytes(), StandardCharsets.UTF_8);
        assertEquals(1, csv.split("\r\n").length);
    }

    @Test
    void catalogueNeedsABoard() {
        LinkboardException e = assertThrows(LinkboardException.class, () -> kit.route("GET", "catalogue.csv", null));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void catalogueOfAnUnknownBoardIsNotFound() {
        LinkboardException e = assertThrows(LinkboardException.class, () -> kit.route("GET", "catalogue.csv?board=nope", null));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void catalogueOfAnotherUnitsBoardIsNotFoundButAdminsReadIt() {
        kit.as(new UserView("m", "Mech Editor", "mech", Set.of("editor")));
        LinkboardException e = assertThrows(LinkboardException.class, () -> kit.route("GET", "catalogue.csv?board=test-board", null));
        assertEquals(ErrorCode.NOT_FOUND, e.code());

        kit.as(new UserView("a", "Admin", "university", Set.of("admin")));
        assertEquals(200, kit.route("GET", "catalogue.csv?board=test-board", null).status());
    }

    @Test
    void csvEscapingQuotesOnlyWhatNeedsIt() {
        assertEquals("plain", CourseCatalogue.escape("plain"));
        assertEquals("\"a,b\"", CourseCatalogue.escape("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CourseCatalogue.escape("say \"hi\""));
        assertEquals("'+49 89", CourseCatalogue.escape("+49 89"));
        assertEquals("'@cmd", CourseCatalogue.escape("@cmd"));
    }

    // ---- declarations -------------------------------------------------------------------------

    @Test
    void theBoardTemplateHasOneLanePerMainStage() {
        ItemTypeSpec course = new CourseIntroductionModule().itemTypes().get(0);
        BoardTemplate t = new CourseIntroductionModule().boardTemplates().get(0);
        List<String> mainStages = course.stages().stream().map(StageSpec::name)
                .filter(n -> !n.equals("Rejected") && !n.equals("Withdrawn")).toList();
        assertEquals(mainStages, t.lanes());
    }

    @Test
    void theWebAssetRendersWithTextOnly() {
        String js = kit.asset("course.js");
        assertNotNull(js);
        assertTrue(js.contains("export function render(item, type, el, board)"));
        assertFalse(js.contains("innerHTML"), "user data is never parsed as HTML");
    }
}
