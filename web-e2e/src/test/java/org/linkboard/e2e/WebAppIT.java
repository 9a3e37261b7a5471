package org.linkboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The web app in headless Chromium against the real server jar: two users on one board see each
 * other's edits, moves and presence live; edits made offline survive a reconnect and a reload;
 * user text is never interpreted as HTML; the client core's unit tests pass in the browser.
 * Screenshots of the board and the linkage view go to {@code target/screenshots/}.
 */
class WebAppIT {

    private static ServerProcess server;
    private static String adminToken;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Browser.assumeAvailable();
        server = ServerProcess.start("webapp");
        adminToken = server.login("admin", ServerProcess.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) server.close();
    }

    @BeforeEach
    void noBrowsersYet() {
        browsers.clear();
    }

    @AfterEach
    void closeBrowsers() throws Exception {
        for (Browser b : browsers) b.close();
    }

    private Browser browserAs(String username, String password) throws Exception {
        Browser b = Browser.open(server.baseUrl);
        browsers.add(b);
        b.signIn(username, password);
        return b;
    }

    private static String uid(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static void openBoard(Browser b, String board) {
        b.go("#/board/" + board);
        waitLive(b);
    }

    private static void waitLive(Browser b) {
        b.waitFor(d -> "live".equals(d.findElement(By.id("conn-status")).getAttribute("data-status")));
    }

    private static By card(String id) {
        return By.cssSelector(".card[data-id='" + id + "']");
    }

    private static By cardTitled(String title) {
        return By.xpath("//article[contains(@class,'card')][.//h3[@class='card-title' and normalize-space(.)=" + xpathLiteral(title) + "]]");
    }

    private static String xpathLiteral(String s) {
        if (!s.contains("'")) return "'" + s + "'";
        if (!s.contains("\"")) return "\"" + s + "\"";
        return "concat('" + s.replace("'", "',\"'\",'") + "')";
    }

    /** Creates a card through the app's composer in the lane; returns the new card's id. */
    private static String addCardViaComposer(Browser b, String laneId, String title) {
        // Live updates re-render the lane: find and click in one retried step.
        b.waitFor(d -> {
            d.findElement(By.cssSelector(".lane[data-id='" + laneId + "'] .add-card")).click();
            return true;
        });
        b.waitFor(d -> d.findElement(By.id("composer-" + laneId))).sendKeys(title, Keys.ENTER);
        String id = b.waitFor(d -> d.findElement(cardTitled(title)).getAttribute("data-id"));
        b.waitFor(d -> d.findElement(By.id("composer-" + laneId))).sendKeys(Keys.ESCAPE);
        b.waitFor(d -> d.findElements(By.id("composer-" + laneId)).isEmpty());
        return id;
    }

    private String boardWithLanes(String unit, String... laneIds) throws Exception {
        String board = server.createBoard(adminToken, "E2E " + uid(""), unit);
        String pos = null;
        for (String lane : laneIds) {
            pos = pos == null ? "a0" : "a" + (char) (pos.charAt(1) + 1);
            server.op(adminToken, board, ServerProcess.create(lane, "lane", null, pos, Map.of("title", "Lane " + lane)));
        }
        return board;
    }

    @Test
    void clientCoreUnitTestsPassInTheBrowser() throws Exception {
        Browser b = Browser.open(server.baseUrl);
        browsers.add(b);
        b.go("test.html");
        WebElement summary = b.waitFor(d -> {
            WebElement s = d.findElement(By.id("summary"));
            return "true".equals(s.getAttribute("data-done")) ? s : null;
        });
        String failures = b.js("return [...document.querySelectorAll('#results .fail')].map(e => e.textContent).join('\\n')");
        assertEquals("0", summary.getAttribute("data-failed"), summary.getText() + "\n" + failures);
    }

    @Test
    void aCardCreatedAndEditedByOneUserAppearsForTheOtherWithPresence() throws Exception {
        String board = server.createBoard(adminToken, "E2E live " + uid(""), "academic-affairs");
        Browser alice = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        Browser bob = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        openBoard(bob, board);

        // Presence: each sees the other's avatar.
        String bobId = bob.js("return window.__linkboard.sync.me.id");
        String aliceId = alice.js("return window.__linkboard.sync.me.id");
        alice.waitFor(d -> d.findElement(By.cssSelector("#presence .peer[data-user='" + bobId + "']")));
        bob.waitFor(d -> d.findElement(By.cssSelector("#presence .peer[data-user='" + aliceId + "']")));

        // Alice adds a lane and a card; Bob sees both.
        click(alice, By.id("add-lane"));
        alice.waitFor(d -> d.findElement(By.id("lane-title-input"))).sendKeys("Planning", Keys.ENTER);
        bob.waitFor(d -> d.findElement(By.xpath("//h2[@class='lane-title' and .='Planning']")));
        String laneId = alice.driver.findElement(By.cssSelector(".lane")).getAttribute("data-id");
        String cardId = addCardViaComposer(alice, laneId, "Visa workshop");
        bob.waitFor(d -> d.findElement(card(cardId)));

        // Alice opens the card: Bob sees it highlighted as being edited; then she edits fields.
        click(alice, card(cardId));
        alice.waitFor(d -> d.findElement(By.id("item-panel")).isDisplayed());
        bob.waitFor(d -> d.findElement(card(cardId)).getAttribute("class").contains("peer-editing"));
        new org.openqa.selenium.support.ui.Select(alice.driver.findElement(By.id("item-status"))).selectByValue("doing");
        WebElement desc = alice.driver.findElement(By.id("item-description"));
        desc.sendKeys("Book the hall for 40 students");
        click(alice, By.id("item-assignee")); // blur commits the description
        bob.waitFor(d -> !d.findElement(card(cardId)).findElements(By.cssSelector(".chip-doing")).isEmpty());
        bob.waitFor(d -> "Book the hall for 40 students".equals(
                bob.js("return window.__linkboard.state()[arguments[0]]?.fields?.description ?? null", cardId)));
        alice.screenshot("board-two-users-alice");
        bob.screenshot("board-two-users-bob");

        // Closing the panel clears the highlight for Bob.
        click(alice, By.id("panel-close"));
        bob.waitFor(d -> !d.findElement(card(cardId)).getAttribute("class").contains("peer-editing"));
    }

    @Test
    void aCardMovedWithTheKeyboardInOneBrowserAppearsMovedInTheOther() throws Exception {
        String board = boardWithLanes("academic-affairs", "todo", "doing");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "todo", "a0", Map.of("title", "First")));
        server.op(adminToken, board, ServerProcess.create("c2", "card", "todo", "a1", Map.of("title", "Second")));
        Browser alice = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        Browser bob = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        openBoard(bob, board);

        // The board re-renders on live updates (presence, ops): each key press finds its card afresh.
        pressOn(alice, card("c1"), Keys.chord(Keys.ALT, Keys.ARROW_RIGHT));
        bob.waitFor(d -> d.findElement(By.cssSelector(".lane[data-id='doing'] .card[data-id='c1']")));

        // Move c2 to doing, below c1, then up above it.
        pressOn(alice, card("c2"), Keys.chord(Keys.ALT, Keys.ARROW_RIGHT));
        bob.waitFor(d -> d.findElements(By.cssSelector(".lane[data-id='doing'] .card")).size() == 2);
        alice.waitFor(d -> d.findElement(By.cssSelector(".lane[data-id='doing'] .card[data-id='c2']")));
        pressOn(alice, By.cssSelector(".lane[data-id='doing'] .card[data-id='c2']"), Keys.chord(Keys.ALT, Keys.ARROW_UP));
        bob.waitFor(d -> "c2".equals(d.findElement(By.cssSelector(".lane[data-id='doing'] .card")).getAttribute("data-id")));
        assertEquals(List.of("c2", "c1"), bob.js(
                "return [...document.querySelectorAll(\".lane[data-id='doing'] .card\")].map(e => e.dataset.id)"));
    }

    @Test
    void editsMadeWhileOfflineAreSentAfterReconnectAndNoneIsLost() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = browserAs("aa-editor", "demo");
        Browser bob = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        openBoard(alice, board);
        openBoard(bob, board);

        alice.js("window.__linkboard.disconnect()");
        alice.waitFor(d -> "offline".equals(d.findElement(By.id("conn-status")).getAttribute("data-status")));
        String a = addCardViaComposer(alice, "plan", "Offline one");
        String b = addCardViaComposer(alice, "plan", "Offline two");
        click(alice, card(b));
        new org.openqa.selenium.support.ui.Select(alice.waitFor(d -> d.findElement(By.id("item-status")))).selectByValue("done");
        click(alice, By.id("panel-close"));
        alice.waitFor(d -> d.findElement(By.id("conn-status")).getText().contains("3 edits waiting"));
        assertTrue(bob.driver.findElements(card(a)).isEmpty(), "nothing reached the server while offline");

        alice.js("window.__linkboard.reconnect()");
        waitLive(alice);
        alice.waitFor(d -> Long.valueOf(0).equals(alice.js("return window.__linkboard.pending()")));
        bob.waitFor(d -> d.findElement(card(a)));
        bob.waitFor(d -> !d.findElement(card(b)).findElements(By.cssSelector(".chip-done")).isEmpty());

        Map<String, Object> items = server.snapshotItems(adminToken, board);
        assertTrue(items.containsKey(a) && items.containsKey(b), "both offline cards are on the server");
        // The browser's replica equals the server's snapshot: the BoardState port is faithful.
        assertEquals(normalise(items), normalise(alice.js("return window.__linkboard.confirmed()")));
        assertEquals(normalise(items), normalise(bob.js("return window.__linkboard.confirmed()")));
    }

    @Test
    void editsNotYetSentSurviveAReloadOfThePage() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        alice.js("window.__linkboard.disconnect()");
        String id = addCardViaComposer(alice, "plan", "Written before the reload");
        alice.driver.navigate().refresh();
        waitLive(alice);
        alice.waitFor(d -> d.findElement(card(id)));
        alice.waitFor(d -> Long.valueOf(0).equals(alice.js("return window.__linkboard.pending()")));
        assertTrue(server.snapshotItems(adminToken, board).containsKey(id), "the card reached the server after the reload");
    }

    @Test
    void aTitleContainingHtmlIsShownAsText() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = browserAs("aa-editor", "demo");
        Browser bob = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        openBoard(alice, board);
        openBoard(bob, board);
        String evil = "<img src=x onerror=alert(1)>";
        String id = addCardViaComposer(alice, "plan", evil);
        WebElement shown = bob.waitFor(d -> d.findElement(card(id)));
        assertEquals(evil, shown.findElement(By.cssSelector(".card-title")).getText());
        for (Browser b : List.of(alice, bob)) {
            assertEquals(0L, (Long) b.js("return document.querySelectorAll('#lanes img, #item-panel img').length"));
            try {
                b.driver.switchTo().alert();
                throw new AssertionError("an alert was opened: user text ran as HTML");
            } catch (NoAlertPresentException expected) {
                // the title stayed text
            }
        }
    }

    @Test
    void boardAndLinkageViewScreenshots() throws Exception {
        String board = server.createBoard(adminToken, "Outbound exchange 2026", "university");
        server.op(adminToken, board, ServerProcess.create("goals", "lane", null, "a0", Map.of("title", "Goals")));
        server.op(adminToken, board, ServerProcess.create("todo", "lane", null, "a1", Map.of("title", "To do")));
        server.op(adminToken, board, ServerProcess.create("doing", "lane", null, "a2", Map.of("title", "Doing")));
        server.op(adminToken, board, ServerProcess.create("done", "lane", null, "a3", Map.of("title", "Done")));
        Map<String, Object> goal = new LinkedHashMap<>();
        goal.put("title", "Send 130 undergraduates abroad for exchange this year");
        goal.put("metric", "students");
        goal.put("target", 130);
        server.op(adminToken, board, ServerProcess.create("g130", "goal", "goals", "a0", goal));
        String[][] cards = {
                {"k1", "todo", "Partner agreements with 3 universities", "todo", "0"},
                {"k2", "doing", "Summer school in Lyon", "doing", "24"},
                {"k3", "doing", "Semester exchange, Xuteli College", "doing", "40"},
                {"k4", "done", "Spring exchange to Osaka", "done", "18"},
        };
        String pos = "a0";
        for (String[] c : cards) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("title", c[2]);
            f.put("status", c[3]);
            f.put("students", Integer.parseInt(c[4]));
            f.put("tags", List.of("exchange"));
            f.put("assignee", "Li Wei");
            server.op(adminToken, board, ServerProcess.create(c[0], "card", c[1], pos, f));
            server.op(adminToken, board, ServerProcess.link(c[0], board, "g130"));
            pos = "a" + (char) (pos.charAt(1) + 1);
        }
        Browser alice = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        openBoard(alice, board);
        alice.waitFor(d -> d.findElement(card("k4")));
        alice.screenshot("board");

        alice.go("#/board/" + board + "/linkage/g130");
        alice.waitFor(d -> d.findElement(By.id("linkage-title")));
        alice.waitFor(d -> d.findElements(By.cssSelector(".linkage-table tbody tr")).size() == cards.length);
        alice.screenshot("linkage");

        alice.go("#/");
        alice.waitFor(d -> d.findElement(By.cssSelector(".board-link")));
        alice.screenshot("home");
        openBoard(alice, "xuteli-exchange");
        alice.waitFor(d -> d.findElement(By.cssSelector(".card")));
        alice.screenshot("demo-board-xuteli");

        alice.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        openBoard(alice, board);
        alice.screenshot("board-narrow");
    }

    @Test
    void undoAndRedoRevertOwnEditsButNeverSomeoneElses() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        String id = addCardViaComposer(alice, "plan", "Draft title");

        // Own edit, then Ctrl+Z: back to the previous title.
        click(alice, card(id));
        WebElement title = alice.waitFor(d -> d.findElement(By.id("item-title")));
        title.clear();
        title.sendKeys("Better title", Keys.TAB);
        alice.waitFor(d -> d.findElement(cardTitled("Better title")));
        click(alice, By.id("panel-close"));
        pressOnPage(alice, "z", Keys.CONTROL);
        alice.waitFor(d -> d.findElement(cardTitled("Draft title")));
        pressOnPage(alice, "Z", Keys.CONTROL, Keys.SHIFT);
        alice.waitFor(d -> d.findElement(cardTitled("Better title")));
        alice.waitFor(d -> Long.valueOf(0).equals(alice.js("return window.__linkboard.pending()")));

        // Someone else changes the title afterwards: undoing Alice's edit must not revert theirs.
        server.op(adminToken, board, Map.of("kind", "set", "id", id, "field", "title", "value", "Their title"));
        alice.waitFor(d -> d.findElement(cardTitled("Their title")));
        pressOnPage(alice, "z", Keys.CONTROL);
        alice.waitFor(d -> d.findElement(By.cssSelector(".toast")));
        assertEquals("Their title", ((Map<?, ?>) ((Map<?, ?>) server.snapshotItems(adminToken, board).get(id)).get("fields")).get("title"));
        assertTrue(alice.driver.findElements(cardTitled("Their title")).size() == 1, "their title stays");
    }

    @Test
    void adminCreatesAUnitAndAUserWhoCanSignIn() throws Exception {
        Browser admin = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        String unitId = uid("u");
        admin.go("#/admin/units");
        admin.waitFor(d -> d.findElement(By.id("adm-id"))).sendKeys(unitId);
        admin.driver.findElement(By.id("adm-name")).sendKeys("E2E Office " + unitId);
        new org.openqa.selenium.support.ui.Select(admin.driver.findElement(By.id("adm-kind"))).selectByValue("office");
        click(admin, By.cssSelector("form button[type=submit]"));
        admin.waitFor(d -> d.findElement(By.id("admin-unit-tree")).getText().contains("E2E Office " + unitId));

        String username = uid("user");
        admin.go("#/admin/users");
        admin.waitFor(d -> d.findElement(By.id("adm-username"))).sendKeys(username);
        admin.driver.findElement(By.id("adm-name")).sendKeys("Test Person");
        admin.driver.findElement(By.id("adm-password")).sendKeys("secret-pw");
        new org.openqa.selenium.support.ui.Select(admin.driver.findElement(By.id("adm-unit"))).selectByValue(unitId);
        click(admin, By.cssSelector("form button[type=submit]"));
        admin.waitFor(d -> d.findElement(By.id("users-table")).getText().contains(username));
        admin.screenshot("admin-users");

        Browser newcomer = browserAs(username, "secret-pw");
        assertTrue(newcomer.driver.findElement(By.cssSelector(".topbar .me")).getText().contains("Test Person"));
    }

    @Test
    void aWrongPasswordIsExplainedInPlainWords() throws Exception {
        Browser b = Browser.open(server.baseUrl);
        browsers.add(b);
        b.go("#/login");
        b.waitFor(d -> d.findElement(By.id("login-username"))).sendKeys("admin");
        b.driver.findElement(By.id("login-password")).sendKeys("not-the-password", Keys.ENTER);
        WebElement err = b.waitFor(d -> {
            WebElement e = d.findElement(By.cssSelector(".login .error-box"));
            return e.isDisplayed() ? e : null;
        });
        assertEquals("Wrong username or password.", err.getText());
    }

    @Test
    void aRejectedEditIsRolledBackAndExplainedNextToItsField() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Budget", "progress", 10)));
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        click(alice, card("c1"));
        alice.waitFor(d -> d.findElement(By.id("item-progress")));
        // Bypass the form's own check to see what the server's VALIDATION_FAILED looks like.
        alice.js("window.__linkboard.sync.submit([{kind: 'set', id: 'c1', field: 'progress', value: 150}])");
        WebElement err = alice.waitFor(d -> {
            WebElement e = d.findElement(By.id("item-progress-err"));
            return e.isDisplayed() ? e : null;
        });
        assertTrue(!err.getText().isBlank(), "the field shows why");
        alice.waitFor(d -> d.findElement(By.cssSelector(".toast-error")).getText().startsWith("Change not saved"));
        alice.waitFor(d -> "10".equals(d.findElement(By.id("item-progress")).getAttribute("value")));
        assertEquals(Long.valueOf(10), (Long) alice.js("return window.__linkboard.state().c1.fields.progress"));
    }

    @Test
    void aViewerSeesTheBoardReadOnly() throws Exception {
        String board = boardWithLanes("university", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Read me")));
        Browser viewer = browserAs("viewer", "demo");
        openBoard(viewer, board);
        viewer.waitFor(d -> d.findElement(card("c1")));
        assertTrue(viewer.driver.findElements(By.id("add-lane")).isEmpty(), "no + Lane for a viewer");
        assertTrue(viewer.driver.findElements(By.cssSelector(".add-card")).isEmpty(), "no + Add card for a viewer");
        click(viewer, card("c1"));
        assertTrue(!viewer.waitFor(d -> d.findElement(By.id("item-title"))).isEnabled(), "fields are read only");
    }

    @Test
    void aCommentOnACardAppearsForTheOtherUser() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Visa help")));
        Browser alice = browserAs("aa-editor", "demo");
        Browser bob = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        openBoard(alice, board);
        openBoard(bob, board);
        click(alice, card("c1"));
        alice.waitFor(d -> d.findElement(By.id("comment-text"))).sendKeys("Ask the consulate about <b>group</b> visas");
        click(alice, By.xpath("//section[contains(@class,'comments-section')]//button[.='Comment']"));
        bob.waitFor(d -> d.findElement(card("c1")).findElement(By.cssSelector(".meta-comments")).getText().equals("1 comment"));
        click(bob, card("c1"));
        WebElement text = bob.waitFor(d -> d.findElement(By.cssSelector(".comment .comment-text")));
        assertEquals("Ask the consulate about <b>group</b> visas", text.getText());
        bob.waitFor(d -> d.findElement(By.cssSelector(".comment .comment-author")).getText().equals("Academic Affairs Editor"));
        Map<?, ?> comment = server.snapshotItems(adminToken, board).values().stream().map(v -> (Map<?, ?>) v)
                .filter(v -> "comment".equals(v.get("type"))).findFirst().orElseThrow();
        assertEquals("c1", comment.get("parent"), "a real comment item under the card");
        assertEquals("Ask the consulate about <b>group</b> visas", ((Map<?, ?>) comment.get("fields")).get("text"));
    }

    @Test
    void typingAtInACommentOffersMatchingUsernames() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Mentions")));
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        click(alice, card("c1"));
        alice.waitFor(d -> d.findElement(By.id("comment-text"))).sendKeys("Please check @xuteli-e");
        alice.waitFor(d -> d.findElement(By.cssSelector("#mention-list li[data-username='xuteli-editor']")));
        alice.driver.findElement(By.id("comment-text")).sendKeys(Keys.ENTER);
        assertEquals("Please check @xuteli-editor ", alice.driver.findElement(By.id("comment-text")).getAttribute("value"));
    }

    @Test
    void aChecklistIsEditedLiveAndCountedOnTheCard() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Open day")));
        Browser alice = browserAs("aa-editor", "demo");
        Browser bob = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
        openBoard(alice, board);
        openBoard(bob, board);
        click(alice, card("c1"));
        for (String entry : List.of("Book the hall", "Print flyers", "Invite alumni")) {
            alice.waitFor(d -> d.findElement(By.id("check-new"))).sendKeys(entry, Keys.ENTER);
            alice.waitFor(d -> d.findElements(By.cssSelector(".check-list .check")).size() == List.of("Book the hall", "Print flyers", "Invite alumni").indexOf(entry) + 1);
        }
        bob.waitFor(d -> d.findElement(card("c1")).findElement(By.cssSelector(".meta-checks")).getText().equals("☑ 0/3"));
        click(alice, By.cssSelector(".check-list .check:nth-child(2) input[type='checkbox']"));
        bob.waitFor(d -> d.findElement(card("c1")).findElement(By.cssSelector(".meta-checks")).getText().equals("☑ 1/3"));
        alice.waitFor(d -> d.findElement(By.id("checklist-count")).getText().equals("1/3"));
        click(bob, card("c1"));
        List<String> order = bob.waitFor(d -> {
            List<String> texts = d.findElements(By.cssSelector(".check-list .check-text")).stream().map(e -> e.getAttribute("value")).toList();
            return texts.size() == 3 ? texts : null;
        });
        assertEquals(List.of("Book the hall", "Print flyers", "Invite alumni"), order, "entries keep their order");
        assertTrue(bob.driver.findElement(By.cssSelector(".check-list .check:nth-child(2) input[type='checkbox']")).isSelected(), "Print flyers is done");
    }

    @Test
    void aFileAttachedToACardIsListedForTheOtherUser() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "With files")));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("agenda-", ".txt");
        java.nio.file.Files.writeString(file, "Agenda: welcome, tour, lunch\n");
        try {
            Browser alice = browserAs("aa-editor", "demo");
            Browser bob = browserAs("admin", ServerProcess.ADMIN_PASSWORD);
            openBoard(alice, board);
            openBoard(bob, board);
            click(alice, card("c1"));
            alice.waitFor(d -> d.findElement(By.id("attachment-input"))).sendKeys(file.toString());
            String name = file.getFileName().toString();
            alice.waitFor(d -> d.findElement(By.cssSelector(".upload-status")).getText().equals(name + " attached."));
            alice.waitFor(d -> d.findElement(By.xpath("//ul[@id='attachment-list']/li[contains(@class,'attachment')]/a[.=" + xpathLiteral(name) + "]")));
            click(bob, card("c1"));
            bob.waitFor(d -> d.findElement(By.xpath("//ul[@id='attachment-list']/li[contains(@class,'attachment')]/a[.=" + xpathLiteral(name) + "]")));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void theBellCountsANewMentionAndMarksItRead() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Bell")));
        Browser alice = browserAs("aa-editor", "demo");
        alice.go("#/");
        // The bell's own socket is authenticated: a notification from now on arrives live.
        WebElement bell = alice.waitFor(d -> {
            WebElement e = d.findElement(By.id("bell"));
            return "true".equals(e.getAttribute("data-live")) ? e : null;
        });
        String before = alice.driver.findElement(By.id("bell-count")).getText();
        int unread = before.isEmpty() ? 0 : Integer.parseInt(before);
        server.op(adminToken, board, ServerProcess.create("cm1", "comment", "c1", null, Map.of("text", "@aa-editor the bell rings")));
        alice.waitFor(d -> d.findElement(By.id("bell-count")).getText().equals(String.valueOf(unread + 1)));
        bell.click();
        alice.waitFor(d -> d.findElement(By.xpath("//div[@id='bell-panel']//li[contains(@class,'unread')][contains(.,'the bell rings')]")));
        click(alice, By.id("bell-read-all"));
        alice.waitFor(d -> d.findElement(By.id("bell-count")).getAttribute("hidden") != null);
        assertTrue(alice.driver.findElements(By.cssSelector("#bell-panel li.unread")).isEmpty());
    }

    @Test
    void linkToGoalSendsALinkAndTheContributedAmount() throws Exception {
        String board = boardWithLanes("academic-affairs", "goals", "plan");
        server.op(adminToken, board, ServerProcess.create("g1", "goal", "goals", "a0",
                Map.of("title", "Send 130 students abroad", "metric", "students", "target", 130)));
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0", Map.of("title", "Summer school")));
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        click(alice, card("c1"));
        click(alice, By.id("link-to-goal"));
        WebElement boardSelect = alice.waitFor(d -> d.findElement(By.cssSelector("#link-board option[value='" + board + "']")));
        new org.openqa.selenium.support.ui.Select(alice.driver.findElement(By.id("link-board"))).selectByValue(board);
        click(alice, By.cssSelector("input[name='link-goal'][value='g1']"));
        alice.waitFor(d -> d.findElement(By.id("link-amount"))).sendKeys("24");
        click(alice, By.xpath("//dialog//button[.='Link']"));
        alice.waitFor(d -> d.findElement(card("c1")).getText().contains("24 students"));
        alice.waitFor(d -> Long.valueOf(0).equals(alice.js("return window.__linkboard.pending()")));
        Map<?, ?> c1 = (Map<?, ?>) server.snapshotItems(adminToken, board).get("c1");
        assertEquals(List.of(Map.of("board", board, "item", "g1")), c1.get("links"));
        assertEquals(24L, ((Number) ((Map<?, ?>) c1.get("fields")).get("students")).longValue());
        assertTrue(boardSelect != null);
    }

    @Test
    void aMissedOpIsDetectedAsASeqGapAndRecoveredByRejoining() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        alice.js("window.__linkboard.dropNextOp()");
        server.op(adminToken, board, ServerProcess.create("lost", "card", "plan", "a0", Map.of("title", "Lost in transit")));
        server.op(adminToken, board, ServerProcess.create("next", "card", "plan", "a1", Map.of("title", "Arrives with a gap")));
        alice.waitFor(d -> d.findElement(card("lost")));
        alice.waitFor(d -> d.findElement(card("next")));
        assertEquals(normalise(server.snapshotItems(adminToken, board)), normalise(alice.js("return window.__linkboard.confirmed()")));
    }

    @Test
    void aCardDraggedToAnotherLaneMovesThere() throws Exception {
        String board = boardWithLanes("academic-affairs", "todo", "done");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "todo", "a0", Map.of("title", "Drag me")));
        server.op(adminToken, board, ServerProcess.create("d1", "card", "done", "a0", Map.of("title", "Already done")));
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        alice.waitFor(d -> d.findElement(card("c1")));
        // HTML5 drag and drop is not driven by WebDriver's pointer actions: dispatch the events.
        alice.js("""
                const card = document.querySelector(".card[data-id='c1']");
                const target = document.querySelector(".lane[data-id='done'] .lane-cards");
                const first = target.querySelector('.card').getBoundingClientRect();
                const dt = new DataTransfer();
                const fire = (el, type, y) => el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt, clientY: y}));
                fire(card, 'dragstart', 0);
                fire(target, 'dragover', first.top + 2);
                fire(target, 'drop', first.top + 2);
                fire(card, 'dragend', 0);
                """);
        alice.waitFor(d -> "c1".equals(d.findElement(By.cssSelector(".lane[data-id='done'] .card")).getAttribute("data-id")));
        alice.waitFor(d -> Long.valueOf(0).equals(alice.js("return window.__linkboard.pending()")));
        Map<?, ?> c1 = (Map<?, ?>) server.snapshotItems(adminToken, board).get("c1");
        assertEquals("done", c1.get("parent"));
        assertTrue(((String) c1.get("pos")).compareTo("a0") < 0, "placed before the card it was dropped on");
    }

    @Test
    void filtersNarrowTheCardsShown() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        server.op(adminToken, board, ServerProcess.create("c1", "card", "plan", "a0",
                Map.of("title", "Visa help", "assignee", "Li Wei", "status", "doing", "tags", List.of("visa"))));
        server.op(adminToken, board, ServerProcess.create("c2", "card", "plan", "a1",
                Map.of("title", "Housing", "assignee", "Anna", "status", "todo", "tags", List.of("housing"))));
        server.op(adminToken, board, ServerProcess.create("c3", "card", "plan", "a2",
                Map.of("title", "Visa appointments", "assignee", "Anna", "status", "done")));
        Browser alice = browserAs("aa-editor", "demo");
        openBoard(alice, board);
        alice.waitFor(d -> d.findElements(By.cssSelector(".lane .card")).size() == 3);
        // The toolbar re-renders on live updates: every interaction looks its control up afresh.
        alice.waitFor(d -> retryStaleAction(() -> d.findElement(By.id("filter-text")).sendKeys("visa")));
        alice.waitFor(d -> shownCards(alice).equals(List.of("c1", "c3")));
        selectValue(alice, "filter-assignee", "Anna");
        alice.waitFor(d -> shownCards(alice).equals(List.of("c3")));
        assertTrue(alice.waitFor(d -> retryStale(() -> d.findElement(By.cssSelector(".filter-note")).getText())).contains("2 items hidden"));
        click(alice, By.xpath("//button[.='Clear filters']"));
        selectValue(alice, "filter-tag", "housing");
        alice.waitFor(d -> shownCards(alice).equals(List.of("c2")));
        selectValue(alice, "filter-tag", "");
        selectValue(alice, "filter-status", "done");
        alice.waitFor(d -> shownCards(alice).equals(List.of("c3")));
    }

    /** Focuses the element and types the keys, looking it up again if a re-render replaced it meanwhile. */
    private static void pressOn(Browser b, By by, CharSequence keys) {
        b.waitFor(d -> retryStaleAction(() -> {
            WebElement e = d.findElement(by);
            b.js("arguments[0].focus()", e);
            e.sendKeys(keys);
        }));
    }

    private static void selectValue(Browser b, String id, String value) {
        b.waitFor(d -> retryStaleAction(() -> new org.openqa.selenium.support.ui.Select(d.findElement(By.id(id))).selectByValue(value)));
    }

    /** True (or the value) once the action ran without its element going stale under it; null to try again. */
    private static <T> T retryStale(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    private static Boolean retryStaleAction(Runnable action) {
        try {
            action.run();
            return Boolean.TRUE;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    private static List<String> shownCards(Browser b) {
        return b.js("return [...document.querySelectorAll('.lane .card')].map(e => e.dataset.id)");
    }

    /**
     * Module item types are rendered from their field specs and stages. The server under test may
     * not have modules yet, so GET /api/modules is answered in the page (a fetch stub installed
     * before the app loads) and the item is created while offline, which keeps it a local draft.
     */
    @Test
    void aModuleItemTypeIsEditedThroughItsFieldsAndOnlyOffersItsNextStages() throws Exception {
        String board = boardWithLanes("academic-affairs", "plan");
        Browser alice = Browser.open(server.baseUrl);
        browsers.add(alice);
        String module = """
                {"id":"student-exchange","name":"Student exchange","version":"1.0.0","state":"STARTED","itemTypes":[
                  {"id":"participant","name":"Participant","fields":[
                    {"name":"title","label":"Student","type":"string","required":true,"maxLength":200},
                    {"name":"programme","label":"Programme","type":"enum","required":false,"values":["semester","summer"]},
                    {"name":"credits","label":"Credits","type":"integer","required":false,"min":0},
                    {"name":"insured","label":"Insured","type":"boolean","required":false}],
                   "stages":[{"id":"applied","name":"Applied","next":["nominated","withdrawn"]},
                             {"id":"nominated","name":"Nominated","next":["abroad"]},
                             {"id":"abroad","name":"Abroad","next":[]},
                             {"id":"withdrawn","name":"Withdrawn","next":[]}]}]}""";
        ((org.openqa.selenium.chromium.ChromiumDriver) alice.driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                const realFetch = window.fetch.bind(window);
                const json = (v) => new Response(JSON.stringify(v), {status: 200, headers: {'Content-Type': 'application/json'}});
                window.fetch = (url, init) => {
                  if (url === '/api/modules') return Promise.resolve(json([%s]));
                  if (/^\\/api\\/units\\/[^/]+\\/modules$/.test(url)) return Promise.resolve(json([{id: 'student-exchange', enabled: true}]));
                  return realFetch(url, init);
                };
                """.formatted(module)));
        alice.signIn("aa-editor", "demo");
        openBoard(alice, board);
        alice.js("window.__linkboard.disconnect()");
        click(alice, By.cssSelector(".lane[data-id='plan'] .add-card"));
        new org.openqa.selenium.support.ui.Select(alice.waitFor(d -> d.findElement(By.id("composer-type-plan"))))
                .selectByValue("student-exchange:participant");
        alice.driver.findElement(By.id("composer-plan")).sendKeys("Wang Fang", Keys.ENTER);
        WebElement item = alice.waitFor(d -> d.findElement(cardTitled("Wang Fang")));
        assertTrue(item.getText().contains("Applied"), "starts in the first stage: " + item.getText());
        click(alice, cardTitled("Wang Fang"));
        alice.waitFor(d -> d.findElement(By.id("item-programme")));
        assertTrue(alice.driver.findElement(By.id("item-insured")).getAttribute("type").equals("checkbox"));
        assertEquals(List.of("Move to Nominated", "Move to Withdrawn"), alice.js(
                "return [...document.querySelectorAll('.stage-next button')].map(b => b.textContent)"));
        click(alice, By.xpath("//button[.='Move to Nominated']"));
        alice.waitFor(d -> d.findElements(By.cssSelector(".stage-next button")).size() == 1);
        assertEquals("Move to Abroad", alice.driver.findElement(By.cssSelector(".stage-next button")).getText());
        alice.screenshot("module-item-panel");
    }

    /** Finds and clicks in one retried step, since live updates may re-render the element in between. */
    private static void click(Browser b, By by) {
        b.waitFor(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** Sends keys to whatever has focus outside text fields (the page's shortcuts listen on document). */
    private static void pressOnPage(Browser b, String key, Keys... modifiers) {
        b.js("document.activeElement && document.activeElement.blur && document.activeElement.blur(); document.body.focus()");
        var actions = new org.openqa.selenium.interactions.Actions(b.driver);
        for (Keys m : modifiers) actions = actions.keyDown(m);
        actions = actions.sendKeys(key);
        for (Keys m : modifiers) actions = actions.keyUp(m);
        actions.perform();
    }

    /** Items without rollups and with numbers as doubles, so server JSON and browser JSON compare. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalise(Object items) {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) items).entrySet()) {
            Map<String, Object> it = new java.util.TreeMap<>((Map<String, Object>) e.getValue());
            it.remove("rollup");
            it.put("fields", numbersAsDoubles(it.get("fields")));
            out.put(e.getKey(), it);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object numbersAsDoubles(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, numbersAsDoubles(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(WebAppIT::numbersAsDoubles).toList();
        return v;
    }
}
