package org.linkboard.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Units and users (CONTRACT §3): shapes, validation, and what unit admins may and may not do. */
class DirectoryRoutesTest {

    static TestServer server;
    static String admin;
    static String collegeAdmin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUnit(admin, "dir-college", "college", "university");
        server.createUnit(admin, "dir-lab", "department", "dir-college");
        server.createUnit(admin, "dir-other", "college", "university");
        server.createUser(admin, "dir-cadmin", "dir-college", "unit-admin");
        collegeAdmin = server.login("dir-cadmin", "dir-cadmin-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject unit(String id, String kind, String parent) {
        JsonObject u = new JsonObject().put("id", id).put("name", "Unit " + id).put("kind", kind);
        if (parent != null) u.put("parent", parent);
        return u;
    }

    static JsonObject user(String username, String unit, String... roles) {
        return new JsonObject().put("username", username).put("password", username + "-pw").put("name", "Name of " + username)
                .put("unit", unit).put("roles", new JsonArray(List.of(roles)));
    }

    static void assertError(HttpResponse<Buffer> r, int status, String code, String field) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
        assertEquals(code, error.getString("code"), r.bodyAsString());
        if (field != null) assertEquals(field, error.getJsonObject("details").getString("field"), r.bodyAsString());
    }

    // ---- units ----------------------------------------------------------------------------------

    @Test
    void createdUnitHasTheContractShapeAndIsListed() {
        HttpResponse<Buffer> r = server.post("/api/units", admin, unit("dir-office", "office", "university"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        assertEquals(new JsonObject().put("id", "dir-office").put("name", "Unit dir-office").put("kind", "office").put("parent", "university"),
                r.bodyAsJsonObject());
        JsonArray all = server.get("/api/units", admin).bodyAsJsonArray();
        assertTrue(all.contains(r.bodyAsJsonObject()), all.encode());
    }

    @Test
    void rootUnitIsTheUniversityWithoutParent() {
        JsonObject root = server.get("/api/units", collegeAdmin).bodyAsJsonArray().stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("id").equals("university")).findFirst().orElseThrow();
        assertEquals("university", root.getString("kind"));
        assertNull(root.getValue("parent"));
    }

    @Test
    void unitsMayNestToAnyDepth() {
        server.createUnit(admin, "dir-d1", "department", "dir-lab");
        server.createUnit(admin, "dir-d2", "office", "dir-d1");
        assertEquals(201, server.post("/api/units", admin, unit("dir-d3", "college", "dir-d2")).statusCode());
    }

    @Test
    void unknownParentIsAValidationFailureOnParent() {
        assertError(server.post("/api/units", admin, unit("dir-orphan", "office", "no-such-unit")), 422, "VALIDATION_FAILED", "parent");
    }

    @Test
    void missingParentIsAValidationFailureOnParentBecauseThereIsOneRoot() {
        assertError(server.post("/api/units", admin, unit("dir-second-root", "office", null)), 422, "VALIDATION_FAILED", "parent");
    }

    @Test
    void duplicateUnitIdIsAConflict() {
        assertError(server.post("/api/units", admin, unit("dir-college", "college", "university")), 409, "CONFLICT", null);
        assertError(server.post("/api/units", admin, unit("university", "college", "dir-college")), 409, "CONFLICT", null);
    }

    @Test
    void kindMustBeDepartmentOfficeOrCollege() {
        assertError(server.post("/api/units", admin, unit("dir-k1", "university", "university")), 422, "VALIDATION_FAILED", "kind");
        assertError(server.post("/api/units", admin, unit("dir-k2", "faculty", "university")), 422, "VALIDATION_FAILED", "kind");
    }

    @Test
    void unitIdMustBeAnIdentifier() {
        assertError(server.post("/api/units", admin, unit("has space", "office", "university")), 422, "VALIDATION_FAILED", "id");
    }

    @Test
    void missingUnitFieldIsABadRequest() {
        assertError(server.post("/api/units", admin, new JsonObject().put("id", "x").put("kind", "office").put("parent", "university")),
                400, "BAD_REQUEST", "name");
    }

    @Test
    void onlyAdminsCreateUnitsEvenUnderTheirOwnSubtree() {
        assertError(server.post("/api/units", collegeAdmin, unit("dir-new-lab", "department", "dir-college")), 403, "FORBIDDEN", null);
    }

    // ---- users ----------------------------------------------------------------------------------

    @Test
    void createdUserHasTheContractShapeWithoutPassword() {
        HttpResponse<Buffer> r = server.post("/api/users", admin, user("dir-shape", "dir-college", "editor", "viewer"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        JsonObject u = r.bodyAsJsonObject();
        assertEquals(Set.of("id", "username", "name", "unit", "roles"), u.fieldNames());
        assertEquals("dir-shape", u.getString("username"));
        assertEquals(List.of("editor", "viewer"), u.getJsonArray("roles").getList());
        assertFalse(server.get("/api/users", admin).bodyAsString().contains("pbkdf2"), "no password hash is ever listed");
        assertEquals(200, server.post("/api/auth/login", null, new JsonObject().put("username", "dir-shape").put("password", "dir-shape-pw")).statusCode());
    }

    @Test
    void duplicateUsernameIsAConflict() {
        server.createUser(admin, "dir-twice", "dir-college", "viewer");
        assertError(server.post("/api/users", admin, user("dir-twice", "dir-other", "editor")), 409, "CONFLICT", null);
    }

    @Test
    void userValidationNamesTheField() {
        assertError(server.post("/api/users", admin, user("dir-v1", "no-such-unit", "editor")), 422, "VALIDATION_FAILED", "unit");
        assertError(server.post("/api/users", admin, user("dir-v2", "dir-college", "superuser")), 422, "VALIDATION_FAILED", "roles");
        assertError(server.post("/api/users", admin, user("dir-v3", "dir-college")), 422, "VALIDATION_FAILED", "roles");
        assertError(server.post("/api/users", admin, user("bad name", "dir-college", "editor")), 422, "VALIDATION_FAILED", "username");
        assertError(server.post("/api/users", admin, user("dir-v4", "dir-college", "editor").put("password", "pw")), 422, "VALIDATION_FAILED", "password");
    }

    @Test
    void unitAdminCreatesUsersInItsSubtree() {
        assertEquals(201, server.post("/api/users", collegeAdmin, user("dir-lab-editor", "dir-lab", "editor")).statusCode());
        assertEquals(201, server.post("/api/users", collegeAdmin, user("dir-co-admin", "dir-college", "unit-admin")).statusCode());
    }

    @Test
    void unitAdminCannotCreateUsersOutsideItsSubtree() {
        assertError(server.post("/api/users", collegeAdmin, user("dir-out1", "dir-other", "editor")), 403, "FORBIDDEN", null);
        assertError(server.post("/api/users", collegeAdmin, user("dir-out2", "university", "viewer")), 403, "FORBIDDEN", null);
    }

    @Test
    void unitAdminCannotGrantAdmin() {
        assertError(server.post("/api/users", collegeAdmin, user("dir-wannabe", "dir-college", "admin")), 403, "FORBIDDEN", null);
        assertError(server.post("/api/users", collegeAdmin, user("dir-wannabe2", "dir-lab", "editor", "admin")), 403, "FORBIDDEN", null);
        assertEquals(201, server.post("/api/users", admin, user("dir-real-admin", "dir-college", "admin")).statusCode(), "admins may");
    }

    @Test
    void unitAdminListsOnlyItsSubtree() {
        server.createUser(admin, "dir-list-other", "dir-other", "editor");
        server.createUser(admin, "dir-list-lab", "dir-lab", "editor");
        List<String> units = server.get("/api/users", collegeAdmin).bodyAsJsonArray().stream()
                .map(u -> ((JsonObject) u).getString("unit")).distinct().sorted().toList();
        assertEquals(List.of("dir-college", "dir-lab"), units);
    }

    @Test
    void unitAdminCannotDeleteAnAdminInItsSubtree() {
        HttpResponse<Buffer> r = server.post("/api/users", admin, user("dir-local-admin", "dir-lab", "admin"));
        String id = r.bodyAsJsonObject().getString("id");
        assertError(server.request(HttpMethod.DELETE, "/api/users/" + id, collegeAdmin, null), 403, "FORBIDDEN", null);
    }

    @Test
    void nobodyDeletesThemselves() {
        String id = server.get("/api/me", collegeAdmin).bodyAsJsonObject().getString("id");
        assertError(server.request(HttpMethod.DELETE, "/api/users/" + id, collegeAdmin, null), 409, "CONFLICT", null);
    }

    @Test
    void deletingAnUnknownUserIsNotFound() {
        assertError(server.request(HttpMethod.DELETE, "/api/users/u-nobody", admin, null), 404, "NOT_FOUND", null);
    }

    @Test
    void aDeletedUsersTokenStopsAtOnceAndItCanNoLongerLogIn() {
        server.createUser(admin, "dir-leaver", "dir-lab", "editor");
        String token = server.login("dir-leaver", "dir-leaver-pw");
        JsonObject me = server.get("/api/me", token).bodyAsJsonObject();
        assertEquals(204, server.request(HttpMethod.DELETE, "/api/users/" + me.getString("id"), collegeAdmin, null).statusCode());
        assertError(server.get("/api/me", token), 401, "UNAUTHENTICATED", null);
        assertError(server.get("/api/boards", token), 401, "UNAUTHENTICATED", null);
        assertEquals(401, server.post("/api/auth/login", null, new JsonObject().put("username", "dir-leaver").put("password", "dir-leaver-pw")).statusCode());
        assertFalse(server.get("/api/users", admin).bodyAsString().contains("dir-leaver"));
    }

    @Test
    void meAnswersTheCallerAsAUser() {
        JsonObject me = server.get("/api/me", collegeAdmin).bodyAsJsonObject();
        assertEquals(Set.of("id", "username", "name", "unit", "roles"), me.fieldNames());
        assertEquals("dir-cadmin", me.getString("username"));
        assertEquals("dir-college", me.getString("unit"));
        assertEquals(List.of("unit-admin"), me.getJsonArray("roles").getList());
    }
}
