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

    /** The demo boards and their items, submitted as ops of the system user. */
    public Future<Void> seedBoards(OpSubmitter ops) {
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
        chain = chain.compose(v -> board("xuteli-exchange", "Xuteli College international plan", "xuteli", ops, List.of(
                create("outbound", "lane", null, Map.of("title", "Outbound exchange")),
                create("xu-germany", "card", "outbound", fields("title", "Exchange semester in Germany", "status", "done", "students", 12)),
                create("xu-japan", "card", "outbound", fields("title", "Exchange semester in Japan", "status", "doing", "students", 8)),
                create("courses", "lane", null, Map.of("title", "International courses")),
                create("xu-ai-course", "card", "courses", fields("title", "Introduce 'Applied AI' from a partner university",
                        "status", "doing", "courses", 1))
        ), List.of(link("xu-germany", "university-plan", "goal-exchange"), link("xu-japan", "university-plan", "goal-exchange"),
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

    private Future<Void> board(String id, String title, String unit, OpSubmitter ops, List<Op> items, List<Op> links) {
        return store.getBoard(id).compose(existing -> {
            if (existing != null) return Future.succeededFuture();
            return store.createBoard(new BoardRecord(id, title, unit, System.currentTimeMillis(), 0, false))
                    .compose(b -> submitAll(ops, id, items))
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
