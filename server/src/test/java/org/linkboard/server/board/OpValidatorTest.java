package org.linkboard.server.board;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.StageSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpValidatorTest {

    static final String BOARD = "b1";

    /** A module type with a workflow draft → review → (draft | done), and a few typed fields. */
    static final ItemTypeSpec CASE = ItemTypeSpec.builder("case")
            .field(FieldSpec.builder("title", FieldType.STRING).required().build())
            .field(FieldSpec.builder("seats", FieldType.INTEGER).range(1, 50).build())
            .field(FieldSpec.builder("remote", FieldType.BOOLEAN).build())
            .field(FieldSpec.builder("owner", FieldType.USER).build())
            .stage(StageSpec.of("draft", "Draft", "review"))
            .stage(StageSpec.of("review", "Review", "draft", "done"))
            .stage(StageSpec.of("done", "Done"))
            .build();

    static final ItemTypes TYPES = ItemTypes.builtIn().orElse(ItemTypes.of(Map.of("m:case", CASE)));

    final OpValidator validator = new OpValidator(TYPES);
    BoardState state;

    @BeforeEach
    void board() {
        state = new BoardState(BOARD);
        long seq = 0;
        for (Op op : List.of(
                new Op.Create("lane1", "lane", null, null, Map.of("title", "Todo")),
                new Op.Create("lane2", "lane", null, null, Map.of("title", "Doing")),
                new Op.Create("card1", "card", "lane1", null, Map.of("title", "Write report")),
                new Op.Create("child1", "card", "card1", null, Map.of("title", "Sub task")),
                new Op.Create("goal1", "goal", null, null, Map.of("title", "Send 130 students", "metric", "students", "target", 130)),
                new Op.Create("goal2", "goal", null, null, Map.of("title", "Internationalise")),
                new Op.Create("case1", "m:case", null, null, Map.of("title", "Hire", "stage", "draft")))) {
            state.apply(state.complete(op, TYPES), ++seq);
        }
    }

    void accepted(Op op) {
        assertDoesNotThrow(() -> validator.validate(state, op));
    }

    LinkboardException rejected(ErrorCode code, Op op) {
        LinkboardException e = assertThrows(LinkboardException.class, () -> validator.validate(state, op));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    void rejectedNaming(String field, Op op) {
        LinkboardException e = rejected(ErrorCode.VALIDATION_FAILED, op);
        assertEquals(field, e.details().get("field"), e.getMessage());
    }

    static Op.Create card(String id, Map<String, Object> fields) {
        return new Op.Create(id, "card", "lane1", null, fields);
    }

    static Map<String, Object> titled(Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("title", "A card");
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], more[i + 1]);
        return m;
    }

    // ---- Ids ------------------------------------------------------------
    @Test
    void anIdOfSixtyFourAllowedCharactersIsAccepted() {
        accepted(card("A-z_0".repeat(12) + "abcd", titled()));
    }

    @Test
    void anEmptyIdIsRejectedNamingId() {
        rejectedNaming("id", card("", titled()));
    }

    @Test
    void anIdOfSixtyFiveCharactersIsRejectedNamingId() {
        rejectedNaming("id", card("x".repeat(65), titled()));
    }

    @Test
    void anIdWithADotIsRejectedNamingId() {
        rejectedNaming("id", card("a.b", titled()));
    }

    @Test
    void createOfAnExistingIdIsIdTaken() {
        rejected(ErrorCode.ID_TAKEN, card("card1", titled()));
    }

    @Test
    void anOpOnAMissingItemIsNotFoundNamingTheItem() {
        LinkboardException e = rejected(ErrorCode.NOT_FOUND, new Op.Delete("nope"));
        assertEquals("nope", e.details().get("item"));
    }

    @Test
    void setOnAMissingItemIsNotFound() {
        rejected(ErrorCode.NOT_FOUND, new Op.SetField("nope", "title", "x"));
    }

    @Test
    void moveOfAMissingItemIsNotFound() {
        rejected(ErrorCode.NOT_FOUND, new Op.Move("nope", null, null));
    }

    @Test
    void deleteOfAnExistingItemIsAccepted() {
        accepted(new Op.Delete("lane1"));
    }

    // ---- Types ------------------------------------------------------------
    @Test
    void unknownTypeIsRejectedNamingType() {
        rejectedNaming("type", new Op.Create("x1", "widget", null, null, Map.of()));
    }

    @Test
    void unknownModuleTypeIsRejectedNamingType() {
        rejectedNaming("type", new Op.Create("x1", "m:nothing", null, null, Map.of()));
    }

    @Test
    void setOnAnItemWhoseTypeIsNoLongerKnownIsRejectedNamingType() {
        OpValidator builtInOnly = new OpValidator(ItemTypes.builtIn());
        LinkboardException e = assertThrows(LinkboardException.class,
                () -> builtInOnly.validate(state, new Op.SetField("case1", "title", "x")));
        assertEquals("type", e.details().get("field"));
    }

    @Test
    void laneWithATitleIsAccepted() {
        accepted(new Op.Create("lane3", "lane", null, null, Map.of("title", "Done")));
    }

    @Test
    void laneWithoutFieldsIsAccepted() {
        accepted(new Op.Create("lane3", "lane", null, null, Map.of()));
    }

    // ---- Structure ------------------------------------------------------------
    @Test
    void createUnderAMissingParentIsRejectedNamingParent() {
        rejectedNaming("parent", new Op.Create("c9", "card", "nope", null, titled()));
    }

    @Test
    void moveUnderAMissingParentIsRejectedNamingParent() {
        rejectedNaming("parent", new Op.Move("card1", "nope", null));
    }

    @Test
    void moveUnderItselfIsRejectedNamingParent() {
        rejectedNaming("parent", new Op.Move("card1", "card1", null));
    }

    @Test
    void moveUnderOwnDescendantIsRejectedNamingParent() {
        rejectedNaming("parent", new Op.Move("lane1", "child1", null));
    }

    @Test
    void moveToAnotherLaneIsAccepted() {
        accepted(new Op.Move("card1", "lane2", "a5"));
    }

    @Test
    void moveToTheTopLevelIsAccepted() {
        accepted(new Op.Move("card1", null, null));
    }

    @Test
    void aMalformedPosIsRejectedNamingPos() {
        rejectedNaming("pos", new Op.Create("c9", "card", "lane1", "a00", titled()));
    }

    @Test
    void aMoveToAMalformedPosIsRejectedNamingPos() {
        rejectedNaming("pos", new Op.Move("card1", "lane2", "!"));
    }

    @Test
    void aValidPosIsAccepted() {
        accepted(new Op.Create("c9", "card", "lane1", "Zz", titled()));
    }

    // ---- Fields ------------------------------------------------------------
    @Test
    void cardWithoutTitleIsRejectedNamingTitle() {
        rejectedNaming("title", card("c9", Map.of("status", "todo")));
    }

    @Test
    void cardWithANullTitleIsRejectedNamingTitle() {
        Map<String, Object> f = new HashMap<>();
        f.put("title", null);
        rejectedNaming("title", card("c9", f));
    }

    @Test
    void settingARequiredFieldToNullIsRejected() {
        rejectedNaming("title", new Op.SetField("card1", "title", null));
    }

    @Test
    void removingAnOptionalFieldIsAccepted() {
        accepted(new Op.SetField("card1", "status", null));
    }

    @Test
    void aTitleOfTwoHundredCharactersIsAccepted() {
        accepted(card("c9", titled("title", "t".repeat(200))));
    }

    @Test
    void aTitleOverTwoHundredCharactersIsRejected() {
        rejectedNaming("title", card("c9", titled("title", "t".repeat(201))));
    }

    @Test
    void aDescriptionOverTwentyThousandCharactersIsRejected() {
        rejectedNaming("description", new Op.SetField("card1", "description", "d".repeat(20_001)));
    }

    @Test
    void aNumberWhereAStringBelongsIsRejected() {
        rejectedNaming("title", new Op.SetField("card1", "title", 5));
    }

    @Test
    void aStatusOutsideTheEnumIsRejected() {
        rejectedNaming("status", new Op.SetField("card1", "status", "blocked"));
    }

    @Test
    void eachEnumValueIsAccepted() {
        for (String s : List.of("todo", "doing", "done")) accepted(new Op.SetField("card1", "status", s));
    }

    @Test
    void anIsoDateIsAccepted() {
        accepted(new Op.SetField("card1", "due", "2026-02-28"));
    }

    @Test
    void aLeapDayIsAcceptedInALeapYear() {
        accepted(new Op.SetField("card1", "due", "2028-02-29"));
    }

    @Test
    void aDateThatDoesNotExistIsRejected() {
        rejectedNaming("due", new Op.SetField("card1", "due", "2026-02-30"));
    }

    @Test
    void aDateInAnotherFormatIsRejected() {
        rejectedNaming("due", new Op.SetField("card1", "due", "28/02/2026"));
    }

    @Test
    void aDateTimeIsRejectedWhereADateBelongs() {
        rejectedNaming("due", new Op.SetField("card1", "due", "2026-02-28T10:00:00Z"));
    }

    @Test
    void progressBetweenZeroAndHundredIsAccepted() {
        accepted(new Op.SetField("card1", "progress", 0));
        accepted(new Op.SetField("card1", "progress", 55.5));
        accepted(new Op.SetField("card1", "progress", 100));
    }

    @Test
    void progressOverHundredIsRejected() {
        rejectedNaming("progress", new Op.SetField("card1", "progress", 100.5));
    }

    @Test
    void negativeProgressIsRejected() {
        rejectedNaming("progress", new Op.SetField("card1", "progress", -1));
    }

    @Test
    void progressAsAStringIsRejected() {
        rejectedNaming("progress", new Op.SetField("card1", "progress", "50"));
    }

    @Test
    void tagsAsAnArrayOfStringsAreAccepted() {
        accepted(new Op.SetField("card1", "tags", List.of("urgent", "exchange")));
    }

    @Test
    void tagsWithANumberAreRejected() {
        rejectedNaming("tags", new Op.SetField("card1", "tags", List.of("urgent", 3)));
    }

    @Test
    void tagsAsAStringAreRejected() {
        rejectedNaming("tags", new Op.SetField("card1", "tags", "urgent"));
    }

    @Test
    void anUnknownNumericFieldOnACardIsAccepted() {
        accepted(new Op.SetField("card1", "students", 12));
    }

    @Test
    void anUnknownNumericFieldOnACardCreateIsAccepted() {
        accepted(card("c9", titled("students", 3)));
    }

    @Test
    void removingAnUnknownNumericFieldOfACardIsAccepted() {
        accepted(new Op.SetField("card1", "students", null));
    }

    @Test
    void anUnknownStringFieldOnACardIsRejectedNamingIt() {
        rejectedNaming("colour", new Op.SetField("card1", "colour", "red"));
    }

    @Test
    void anUnknownFieldOnALaneIsRejectedNamingIt() {
        rejectedNaming("students", new Op.SetField("lane1", "students", 3));
    }

    @Test
    void aFieldNameStartingWithADigitIsRejected() {
        rejectedNaming("1st", new Op.SetField("card1", "1st", 3));
    }

    @Test
    void aFieldNameWithAHyphenIsRejected() {
        rejectedNaming("a-b", card("c9", titled("a-b", 3)));
    }

    @Test
    void aGoalNeedsATitle() {
        rejectedNaming("title", new Op.Create("g9", "goal", null, null, Map.of("target", 10)));
    }

    @Test
    void aNegativeGoalTargetIsRejected() {
        rejectedNaming("target", new Op.SetField("goal1", "target", -5));
    }

    @Test
    void aGoalMetricMustNameAField() {
        rejectedNaming("metric", new Op.SetField("goal1", "metric", "number of students"));
    }

    @Test
    void aGoalMetricNamingAFieldIsAccepted() {
        accepted(new Op.SetField("goal1", "metric", "credits"));
    }

    @Test
    void anIntegerFieldRejectsAFraction() {
        rejectedNaming("seats", new Op.SetField("case1", "seats", 2.5));
    }

    @Test
    void anIntegerFieldAcceptsAWholeNumberWrittenAsDouble() {
        accepted(new Op.SetField("case1", "seats", 4.0));
    }

    @Test
    void anIntegerFieldChecksItsRange() {
        rejectedNaming("seats", new Op.SetField("case1", "seats", 51));
    }

    @Test
    void aBooleanFieldRejectsAString() {
        rejectedNaming("remote", new Op.SetField("case1", "remote", "yes"));
    }

    @Test
    void aBooleanFieldAcceptsABoolean() {
        accepted(new Op.SetField("case1", "remote", true));
    }

    // ---- Stages ------------------------------------------------------------
    @Test
    void createMayNameAnyStage() {
        accepted(new Op.Create("case2", "m:case", null, null, Map.of("title", "Import", "stage", "done")));
    }

    @Test
    void createNamingAnUnknownStageIsRejectedNamingStage() {
        rejectedNaming("stage", new Op.Create("case2", "m:case", null, null, Map.of("title", "x", "stage", "archived")));
    }

    @Test
    void createWithoutStageIsCompletedToTheFirstStage() {
        Op completed = state.complete(new Op.Create("case2", "m:case", null, null, Map.of("title", "x")), TYPES);
        assertEquals("draft", ((Op.Create) completed).fields().get("stage"));
        accepted(completed);
    }

    @Test
    void setToANextStageIsAccepted() {
        accepted(new Op.SetField("case1", "stage", "review"));
    }

    @Test
    void setToAStageNotInNextIsRejectedNamingStage() {
        rejectedNaming("stage", new Op.SetField("case1", "stage", "done"));
    }

    @Test
    void setToTheCurrentStageIsRejectedWhenItIsNotInNext() {
        rejectedNaming("stage", new Op.SetField("case1", "stage", "draft"));
    }

    @Test
    void setToAnUnknownStageIsRejectedNamingStage() {
        rejectedNaming("stage", new Op.SetField("case1", "stage", "archived"));
    }

    @Test
    void setOfStageToNullIsRejected() {
        rejectedNaming("stage", new Op.SetField("case1", "stage", null));
    }

    @Test
    void aStageFieldOnACardIsAnOrdinaryUnknownField() {
        rejectedNaming("stage", new Op.SetField("card1", "stage", "review"));
    }

    // ---- Links ------------------------------------------------------------
    LinkRef goal(String id) {
        return new LinkRef(BOARD, id);
    }

    @Test
    void aCardMayLinkToAGoalOnTheSameBoard() {
        accepted(new Op.Link("card1", goal("goal1")));
    }

    @Test
    void aGoalMayLinkToAnotherGoal() {
        accepted(new Op.Link("goal1", goal("goal2")));
    }

    @Test
    void linkingToAGoalOnAnotherBoardIsLeftToTheLinkageGate() {
        accepted(new Op.Link("card1", new LinkRef("other", "goal1")));
    }

    @Test
    void linkingAMissingItemToAnotherBoardIsNotFound() {
        rejected(ErrorCode.NOT_FOUND, new Op.Link("ghost", new LinkRef("other", "goal1")));
    }

    @Test
    void linkingToANonGoalIsRejectedNamingTo() {
        rejectedNaming("to", new Op.Link("card1", goal("lane1")));
    }

    @Test
    void linkingToAMissingItemIsNotFound() {
        rejected(ErrorCode.NOT_FOUND, new Op.Link("card1", goal("ghost")));
    }

    @Test
    void aGoalLinkingToItselfIsALinkCycle() {
        rejected(ErrorCode.LINK_CYCLE, new Op.Link("goal1", goal("goal1")));
    }

    @Test
    void aLinkClosingACycleThroughGoalsIsALinkCycle() {
        state.apply(new Op.Link("goal1", goal("goal2")), state.version() + 1);
        rejected(ErrorCode.LINK_CYCLE, new Op.Link("goal2", goal("goal1")));
    }

    @Test
    void linkingAgainIsAcceptedAndIdempotent() {
        state.apply(new Op.Link("card1", goal("goal1")), state.version() + 1);
        accepted(new Op.Link("card1", goal("goal1")));
        assertEquals(List.of(), state.apply(new Op.Link("card1", goal("goal1")), state.version() + 1));
        assertEquals(1, state.item("card1").links().size());
    }

    @Test
    void unlinkOfAnExistingLinkIsAccepted() {
        state.apply(new Op.Link("card1", goal("goal1")), state.version() + 1);
        accepted(new Op.Unlink("card1", goal("goal1")));
    }

    @Test
    void unlinkOfALinkThatIsNotThereIsRejectedNamingTo() {
        rejectedNaming("to", new Op.Unlink("card1", goal("goal1")));
    }

    @Test
    void linkWithoutTargetIsRejectedNamingTo() {
        rejectedNaming("to", new Op.Link("card1", null));
    }

    @Test
    void validationNeverMutatesTheState() {
        Map<String, Object> before = state.itemsToMap();
        long version = state.version();
        List<Executable> attempts = List.of(
                () -> validator.validate(state, new Op.Delete("lane1")),
                () -> validator.validate(state, new Op.Move("card1", "lane2", null)),
                () -> validator.validate(state, new Op.Link("card1", new LinkRef(BOARD, "goal1"))),
                () -> validator.validate(state, card("c9", titled())));
        for (Executable a : attempts) assertDoesNotThrow(a);
        assertEquals(before, state.itemsToMap());
        assertEquals(version, state.version());
    }
}
