package org.linkboard.server.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.linkboard.server.auth.PasswordHasher;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.auth.UserDirectory;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpSubmitter;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The demo organisation of CONTRACT §8: units, users (password {@code demo}), module enablement
 * for {@code xuteli}, and boards around the university goal "send 130 undergraduates abroad".
 * Idempotent and additive: whatever exists already (a unit, a username, a board id) is left as
 * it is, so the demo never overwrites real data.
 */
public final class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class.getName());
    public static final String PASSWORD = "demo";
    public static final List<String> BUNDLED_MODULES = List.of("course-introduction", "foreign-teacher-recruitment", "student-exchange");

    private final Vertx vertx;
    private final Store store;
    private final UnitDirectory units;
    private final UserDirectory users;
    private final PasswordHasher hasher;

    public DemoData(Vertx vertx, Store store, UnitDirectory units, UserDirectory users, PasswordHasher hasher) {
        this.vertx = vertx;
        this.store = store;
        this.units = units;
        this.users = users;
        this.hasher = hasher;
    }

    /** Units, users and module settings; boards come with {@link #seedBoards}, once the board engine runs. */
    public Future<Void> seed() {
        LOG.warning("--demo: seeding demo users whose password is the public word 'demo'; never use --demo on a server with real data exposed to others");
        Future<Void> chain = Future.succeededFuture();
        for (UnitRecord u : List.of(
                new UnitRecord("academic-affairs", "Department of Academic Affairs", "department", "university"),
                new UnitRecord("intl-office", "International Exchange and Cooperation Office", "office", "university"),
                new UnitRecord("xuteli", "Xuteli College", "college", "university"),
                new UnitRecord("mech", "School of Mechanical Engineering", "college", "university"))) {
            chain = chain.compose(v -> units.exists(u.id()) ? Future.succeededFuture()
                    : store.createUnit(u).map(created -> {
                        units.put(created);
                        return null;
                    }));
        }
        String[][] people = {
                {"admin", "Administrator", "university", Principal.ADMIN},
                {"aa-editor", "Academic Affairs Editor", "academic-affairs", Principal.EDITOR},
                {"intl-editor", "International Office Editor", "intl-office", Principal.EDITOR},
                {"xuteli-admin", "Xuteli College Admin", "xuteli", Principal.UNIT_ADMIN},
                {"xuteli-editor", "Xuteli College Editor", "xuteli", Principal.EDITOR},
                {"mech-editor", "Mechanical Engineering Editor", "mech", Principal.EDITOR},
                {"viewer", "University Viewer", "university", Principal.VIEWER},
        };
        Future<String> hashed = chain.compose(v -> vertx.executeBlocking(() -> hasher.hash(PASSWORD)));
        Future<Void> result = hashed.mapEmpty();
        for (String[] p : people) {
            result = result.compose(v -> store.findUserByUsername(p[0])).compose(existing -> {
                if (existing != null) return Future.succeededFuture();
                UserRecord u = new UserRecord("u-" + p[0], p[0], p[1], p[2], List.of(p[3]), hashed.result(), System.currentTimeMillis());
                return store.createUser(u).map(created -> {
                    users.put(created);
                    return null;
                });
            });
        }
        return result.compose(v -> store.moduleEnablement()).compose(settings -> {
            Map<String, Boolean> xuteli = settings.getOrDefault("xuteli", Map.of());
            Future<Void> f = Future.succeededFuture();
            for (String m : BUNDLED_MODULES) {
                if (!xuteli.containsKey(m)) f = f.compose(v -> store.setModuleEnabled("xuteli", m, true));
            }
            return f;
        });
    }

    /** The demo boards without module items (no module is taken to be running). */
    public Future<Void> seedBoards(OpSubmitter ops) {
        return seedBoards(ops, moduleId -> false);
    }

    /**
     * The demo boards and their items, submitted as ops of the system user. Items of the bundled
     * modules are added to the Xuteli board only for the modules {@code running} says are started;
     * for the others the log says what was left out (e.g. tests run without the plugin jars).
     */
    public Future<Void> seedBoards(OpSubmitter ops, Predicate<String> running) {
        Future<Void> chain = Future.succeededFuture();
        // The founding example of docs/linkage.md: cards of the International Office and of the
        // colleges add their students to the university goal, directly or through a goal of their
        // own unit (card → unit goal → university goal), and goals keep a base-year figure.
        chain = chain.compose(v -> board("university-plan", "University plan 2026", "university", ops, List.of(
                create("goals", "lane", null, Map.of("title", "University goals")),
                create("goal-exchange", "goal", "goals", fields("title", "Send 130 undergraduates abroad for exchange this year",
                        "metric", "students", "target", 130, "baseline", 60, "baselineYear", 2019)),
                create("goal-courses", "goal", "goals", fields("title", "Introduce 40 international courses",
                        "metric", "courses", "target", 40)),
                create("actions", "lane", null, Map.of("title", "University actions")),
                create("c-budget", "card", "actions", fields("title", "Approve the exchange scholarship budget", "status", "doing"))
        ), List.of()));
        chain = chain.compose(v -> board("intl-office-plan", "International Office exchange plan", "intl-office", ops, List.of(
                create("io-goals", "lane", null, Map.of("title", "Office goals")),
                create("io-outbound", "goal", "io-goals", fields("title", "Outbound exchange students through the International Office",
                        "metric", "students", "target", 80, "baseline", 40, "baselineYear", 2019)),
                create("partners", "lane", null, Map.of("title", "Partner programmes")),
                create("io-summer", "card", "partners", fields("title", "Summer school places with partner universities",
                        "status", "doing", "students", 25)),
                create("io-semester", "card", "partners", fields("title", "Semester exchange, university-wide quota",
                        "status", "todo", "students", 51))
        ), List.of(link("io-summer", "intl-office-plan", "io-outbound"), link("io-semester", "intl-office-plan", "io-outbound"),
                link("io-outbound", "university-plan", "goal-exchange"))));
        chain = chain.compose(v -> board("xuteli-exchange", "Xuteli College international plan", "xuteli", ops, () -> xuteliItems(running),
                List.of(link("xu-germany", "university-plan", "goal-exchange"), link("xu-japan", "university-plan", "goal-exchange"),
                        link("xu-ai-course", "university-plan", "goal-courses"))));
        chain = chain.compose(v -> board("mech-plan", "Mechanical Engineering plan", "mech", ops, List.of(
                create("mech-goals", "lane", null, Map.of("title", "College goals")),
                create("mech-outbound", "goal", "mech-goals", fields("title", "Send 10 mechanical engineering students abroad",
                        "metric", "students", "target", 10)),
                create("mech-out", "lane", null, Map.of("title", "Exchange")),
                create("mech-singapore", "card", "mech-out", fields("title", "Joint lab exchange in Singapore", "status", "todo", "students", 6))
        ), List.of(link("mech-singapore", "mech-plan", "mech-outbound"), link("mech-outbound", "university-plan", "goal-exchange"))));
        return chain;
    }

    /**
     * The Xuteli College board, which uses the three bundled modules (CONTRACT §8). The exchange to
     * Japan is a {@code student-exchange} programme whose {@code students} the module counts from its
     * participants (8 confirmed or later, as the card it replaces says), so the university goal adds
     * up to the same figures with or without the module (docs/linkage.md).
     */
    private static List<Op> xuteliItems(Predicate<String> running) {
        List<Op> items = new ArrayList<>(List.of(
                create("outbound", "lane", null, Map.of("title", "Outbound exchange")),
                create("xu-germany", "card", "outbound", fields("title", "Exchange semester in Germany", "status", "done", "students", 12))));
        if (moduleItems(running, "student-exchange")) {
            items.add(create("xu-japan", "student-exchange:programme", "outbound", fields("title", "Exchange semester in Japan",
                    "partner", "Osaka University", "country", "Japan", "level", "undergraduate", "duration", "one semester",
                    "quota", 10, "term", "Autumn", "year", 2026)));
            items.add(create("xu-exchange-students", "lane", null, Map.of("title", "Exchange students (Japan)")));
            String[][] students = {
                    {"Li Na", "X2023001", "departed"}, {"Wang Hao", "X2023002", "departed"}, {"Zhang Wei", "X2023005", "confirmed"},
                    {"Liu Yang", "X2023008", "confirmed"}, {"Chen Jing", "X2023011", "confirmed"}, {"Yang Fan", "X2023013", "confirmed"},
                    {"Zhao Min", "X2023017", "confirmed"}, {"Huang Lei", "X2023020", "confirmed"},
                    {"Zhou Xin", "X2023024", "nomination"}, {"Wu Qian", "X2024003", "application"}};
            for (int i = 0; i < students.length; i++) {
                items.add(create("xu-jp-" + (i + 1), "student-exchange:participant", "xu-exchange-students", fields(
                        "studentName", students[i][0], "studentId", students[i][1], "programme", "xu-japan",
                        "creditTransfer", i < 2 ? "approved" : "pending", "stage", students[i][2])));
            }
        } else {
            items.add(create("xu-japan", "card", "outbound", fields("title", "Exchange semester in Japan", "status", "doing", "students", 8)));
        }
        items.add(create("courses", "lane", null, Map.of("title", "International courses")));
        items.add(create("xu-ai-course", "card", "courses", fields("title", "Introduce 'Applied AI' from a partner university",
                "status", "doing", "courses", 1)));
        if (moduleItems(running, "course-introduction")) {
            items.add(create("xu-robotics", "course-introduction:course", "courses", fields("title", "Robot Learning",
                    "partnerUniversity", "Technical University of Munich", "country", "Germany", "teachingLanguage", "English",
                    "discipline", "Computer science", "credits", 3, "hours", 48, "instructor", "Prof. Dr. Klein",
                    "localCourseCode", "CS402", "localCourseName", "Intelligent Robotics",
                    "evaluation", "Syllabus and assessment match CS402; recommended by the teaching committee.",
                    "evaluationScore", 88, "stage", "approval")));
            items.add(create("xu-marine", "course-introduction:course", "courses", fields("title", "Marine Ecology Field Course",
                    "partnerUniversity", "University of Tasmania", "country", "Australia", "teachingLanguage", "English",
                    "discipline", "Environmental science", "credits", 2, "hours", 32, "stage", "evaluation")));
        }
        if (moduleItems(running, "foreign-teacher-recruitment")) {
            items.add(create("recruitment", "lane", null, Map.of("title", "Foreign teachers")));
            items.add(create("xu-cand-garcia", "foreign-teacher-recruitment:candidate", "recruitment", fields("name", "Dr. Elena García",
                    "nationality", "Spanish", "discipline", "Materials science", "highestDegree", "PhD",
                    "targetCollege", "xuteli", "expectedStart", "2026-09-01", "visaStatus", "not-started", "stage", "interview")));
            items.add(create("xu-cand-okafor", "foreign-teacher-recruitment:candidate", "recruitment", fields("name", "Dr. Chidi Okafor",
                    "nationality", "Nigerian", "discipline", "Electrical engineering", "highestDegree", "PhD",
                    "targetCollege", "xuteli", "expectedStart", "2027-02-15", "stage", "screening")));
        }
        return items;
    }

    private static boolean moduleItems(Predicate<String> running, String moduleId) {
        if (running.test(moduleId)) return true;
        LOG.info("--demo: module " + moduleId + " is not running; its demo items on board xuteli-exchange are left out");
        return false;
    }

    private Future<Void> board(String id, String title, String unit, OpSubmitter ops, List<Op> items, List<Op> links) {
        return board(id, title, unit, ops, () -> items, links);
    }

    /** A board with its items (computed only when the board is new) and then its links. */
    private Future<Void> board(String id, String title, String unit, OpSubmitter ops, Supplier<List<Op>> items, List<Op> links) {
        return store.getBoard(id).compose(existing -> {
            if (existing != null) return Future.succeededFuture();
            return store.createBoard(new BoardRecord(id, title, unit, System.currentTimeMillis(), 0, false))
                    .compose(b -> submitAll(ops, id, items.get()))
                    .compose(v -> submitAll(ops, id, links));
        });
    }

    private static Future<Void> submitAll(OpSubmitter ops, String board, List<Op> list) {
        Future<Void> f = Future.succeededFuture();
        int n = 0;
        for (Op op : list) {
            String cid = "demo-" + board + "-" + (op instanceof Op.Link ? "l" : "i") + (n++);
            f = f.compose(v -> ops.submit(board, op, Principal.SYSTEM, cid).mapEmpty());
        }
        return f;
    }

    private static Op create(String id, String type, String parent, Map<String, Object> fields) {
        return new Op.Create(id, type, parent, null, fields);
    }

    private static Op link(String id, String board, String item) {
        return new Op.Link(id, new LinkRef(board, item));
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static List<String> unitIds() {
        return new ArrayList<>(List.of("university", "academic-affairs", "intl-office", "xuteli", "mech"));
    }
}
