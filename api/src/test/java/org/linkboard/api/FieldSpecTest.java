package org.linkboard.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSpecTest {

    private static String rejectedField(Runnable check) {
        LinkboardException e = assertThrows(LinkboardException.class, check::run);
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        return (String) e.details().get("field");
    }

    @Test
    void integerFieldTakesWholeNumbersWithinItsRange() {
        FieldSpec f = FieldSpec.builder("score", FieldType.INTEGER).range(1, 5).build();
        f.check(3);
        f.check(4.0);
        assertEquals("score", rejectedField(() -> f.check(2.5)));
        assertEquals("score", rejectedField(() -> f.check(6)));
        assertEquals("score", rejectedField(() -> f.check("3")));
    }

    @Test
    void requiredFieldRejectsNullOthersAcceptIt() {
        FieldSpec.builder("note", FieldType.STRING).build().check(null);
        assertEquals("title", rejectedField(() -> FieldSpec.builder("title", FieldType.STRING).required().build().check(null)));
    }

    @Test
    void stringLengthCountsCharactersNotBytes() {
        FieldSpec f = FieldSpec.builder("t", FieldType.STRING).maxLength(3).build();
        f.check("学生们");
        rejectedField(() -> f.check("学生们好"));
    }

    @Test
    void dateEnumAndListValuesAreChecked() {
        FieldSpec.builder("due", FieldType.DATE).build().check("2026-09-01");
        rejectedField(() -> FieldSpec.builder("due", FieldType.DATE).build().check("01/09/2026"));
        FieldSpec level = FieldSpec.builder("level", FieldType.ENUM).values("bachelor", "master").build();
        level.check("master");
        rejectedField(() -> level.check("phd"));
        FieldSpec tags = FieldSpec.builder("tags", FieldType.LIST).maxLength(2).build();
        tags.check(List.of("a", "b"));
        rejectedField(() -> tags.check(List.of("a", 1)));
        rejectedField(() -> tags.check(List.of("a", "b", "c")));
    }

    @Test
    void objectCheckRejectsUnknownAndMissingRequiredFields() {
        List<FieldSpec> schema = List.of(FieldSpec.builder("quota", FieldType.INTEGER).required().build());
        FieldSpec.checkObject(schema, Map.of("quota", 3));
        assertEquals("other", rejectedField(() -> FieldSpec.checkObject(schema, Map.of("quota", 3, "other", 1))));
        assertEquals("quota", rejectedField(() -> FieldSpec.checkObject(schema, Map.of())));
    }

    @Test
    void enumWithoutValuesIsADeclarationError() {
        assertThrows(IllegalArgumentException.class, () -> FieldSpec.builder("e", FieldType.ENUM).build());
    }

    @Test
    void apiVersionIsFilteredIntoTheJar() {
        assertTrue(LinkboardApi.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), LinkboardApi.VERSION);
    }
}
