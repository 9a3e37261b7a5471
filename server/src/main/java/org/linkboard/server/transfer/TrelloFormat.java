package org.linkboard.server.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.linkboard.server.board.FractionalIndex;
import org.linkboard.server.board.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Import of a Trello board export (the JSON of "Print and export → Export as JSON"):
 * <ul>
 *   <li>open lists → lanes ({@code title} = list name), in Trello's {@code pos} order;</li>
 *   <li>open cards of open lists → cards: {@code title} = name, {@code description} = desc,
 *       {@code due} = the date of due, {@code status} = {@code done} when dueComplete,
 *       {@code tags} = label names (the colour for an unnamed label);</li>
 *   <li>checklist items → cards under their card, {@code status} done/todo, tagged with the
 *       checklist name;</li>
 *   <li>closed lists, closed cards and their checklists are skipped.</li>
 * </ul>
 * Item ids are Trello's ids. Pure functions; a malformed export fails with VALIDATION_FAILED
 * naming the field (e.g. {@code data.cards[3].idList}).
 */
final class TrelloFormat {

    static final String FORMAT = "trello";
    private static final int MAX_TITLE = 200;
    private static final int MAX_DESCRIPTION = 20_000;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private TrelloFormat() {
    }

    static ImportPlan plan(JsonObject data, String title) {
        if (title == null && data.getValue("name") instanceof String n && !n.isBlank()) title = n;
        JsonArray lists = array(data, "lists", true);
        JsonArray cards = array(data, "cards", true);
        JsonArray checklists = array(data, "checklists", false);
        JsonArray boardLabels = array(data, "labels", false);

        Map<String, String> labelNames = new HashMap<>();
        for (int i = 0; i < boardLabels.size(); i++) {
            JsonObject l = object(boardLabels, i, "data.labels");
            String id = string(l, "id", "data.labels[" + i + "]", false);
            if (id != null) labelNames.put(id, labelName(l));
        }

        List<Op> ops = new ArrayList<>();
        int skipped = 0;
        List<JsonObject> openLists = new ArrayList<>();
        Set<String> openListIds = new HashSet<>();
        Set<String> allListIds = new HashSet<>();
        for (int i = 0; i < lists.size(); i++) {
            String at = "data.lists[" + i + "]";
            JsonObject l = object(lists, i, "data.lists");
            String id = id(l, at);
            string(l, "name", at, true);
            allListIds.add(id);
            if (bool(l, "closed", at)) {
                skipped++;
                continue;
            }
            l.put("__index", i);
            openLists.add(l);
            openListIds.add(id);
        }
        openLists.sort(Comparator.comparingDouble((JsonObject l) -> pos(l)).thenComparingInt(l -> l.getInteger("__index")));
        String lanePos = null;
        for (JsonObject l : openLists) {
            lanePos = FractionalIndex.after(lanePos);
            ops.add(new Op.Create(l.getString("id"), "lane", null, lanePos,
                    Map.of("title", truncate(l.getString("name"), MAX_TITLE))));
        }

        // Cards per list in pos order.
        Map<String, List<JsonObject>> cardsByList = new LinkedHashMap<>();
        Set<String> openCardIds = new HashSet<>();
        for (int i = 0; i < cards.size(); i++) {
            String at = "data.cards[" + i + "]";
            JsonObject c = object(cards, i, "data.cards");
            String id = id(c, at);
            String name = string(c, "name", at, true);
            if (name.isBlank()) throw LinkboardFormat.invalid(at + ".name", "a card needs a name");
            String list = string(c, "idList", at, true);
            if (!allListIds.contains(list)) throw LinkboardFormat.invalid(at + ".idList", "no list '" + list + "' in the export");
            string(c, "desc", at, false);
            Object due = c.getValue("due");
            if (due != null && !(due instanceof String s && DATE.matcher(s).matches())) {
                throw LinkboardFormat.invalid(at + ".due", "due must be an ISO date-time or null");
            }
            if (bool(c, "closed", at) || !openListIds.contains(list)) {
                skipped++;
                continue;
            }
            c.put("__index", i);
            openCardIds.add(id);
            cardsByList.computeIfAbsent(list, k -> new ArrayList<>()).add(c);
        }

        // Checklists per card.
        Map<String, List<JsonObject>> checklistsByCard = new HashMap<>();
        for (int i = 0; i < checklists.size(); i++) {
            String at = "data.checklists[" + i + "]";
            JsonObject cl = object(checklists, i, "data.checklists");
            id(cl, at);
            String card = string(cl, "idCard", at, true);
            string(cl, "name", at, false);
            JsonArray items = array(cl, "checkItems", false, at);
            for (int j = 0; j < items.size(); j++) {
                String iat = at + ".checkItems[" + j + "]";
                JsonObject item = object(items, j, at + ".checkItems");
                id(item, iat);
                string(item, "name", iat, true);
                string(item, "state", iat, false);
            }
            if (!openCardIds.contains(card)) {
                skipped += items.size();
                continue;
            }
            cl.put("__index", i);
            checklistsByCard.computeIfAbsent(card, k -> new ArrayList<>()).add(cl);
        }

        for (JsonObject l : openLists) {
            List<JsonObject> inList = new ArrayList<>(cardsByList.getOrDefault(l.getString("id"), List.of()));
            inList.sort(Comparator.comparingDouble((JsonObject c) -> pos(c)).thenComparingInt(c -> c.getInteger("__index")));
            String cardPos = null;
            for (JsonObject c : inList) {
                cardPos = FractionalIndex.after(cardPos);
                ops.add(new Op.Create(c.getString("id"), "card", l.getString("id"), cardPos, cardFields(c, labelNames)));
                String itemPos = null;
                List<JsonObject> cls = new ArrayList<>(checklistsByCard.getOrDefault(c.getString("id"), List.of()));
                cls.sort(Comparator.comparingDouble((JsonObject cl) -> pos(cl)).thenComparingInt(cl -> cl.getInteger("__index")));
                for (JsonObject cl : cls) {
                    List<JsonObject> items = new ArrayList<>();
                    JsonArray raw = cl.getJsonArray("checkItems", new JsonArray());
                    for (int j = 0; j < raw.size(); j++) items.add(raw.getJsonObject(j).copy().put("__index", j));
                    items.sort(Comparator.comparingDouble((JsonObject it) -> pos(it)).thenComparingInt(it -> it.getInteger("__index")));
                    for (JsonObject it : items) {
                        itemPos = FractionalIndex.after(itemPos);
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("title", truncate(it.getString("name"), MAX_TITLE));
                        f.put("status", "complete".equals(it.getString("state")) ? "done" : "todo");
                        String clName = cl.getString("name");
                        if (clName != null && !clName.isBlank()) f.put("tags", List.of(truncate(clName, 200)));
                        ops.add(new Op.Create(it.getString("id"), "card", c.getString("id"), itemPos, f));
                    }
                }
            }
        }
        return new ImportPlan(title, ops, List.of(), skipped);
    }

    private static Map<String, Object> cardFields(JsonObject c, Map<String, String> labelNames) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("title", truncate(c.getString("name"), MAX_TITLE));
        String desc = c.getString("desc");
        if (desc != null && !desc.isBlank()) f.put("description", truncate(desc, MAX_DESCRIPTION));
        String due = c.getString("due");
        if (due != null) f.put("due", due.substring(0, 10));
        if (Boolean.TRUE.equals(c.getValue("dueComplete"))) f.put("status", "done");
        Set<String> tags = new LinkedHashSet<>();
        if (c.getValue("labels") instanceof JsonArray labels) {
            for (Object o : labels) if (o instanceof JsonObject l) tags.add(labelName(l));
        } else if (c.getValue("idLabels") instanceof JsonArray ids) {
            for (Object o : ids) if (labelNames.containsKey(String.valueOf(o))) tags.add(labelNames.get(String.valueOf(o)));
        }
        tags.remove("");
        if (!tags.isEmpty()) f.put("tags", new ArrayList<>(tags));
        return f;
    }

    private static String labelName(JsonObject l) {
        String name = l.getValue("name") instanceof String s ? s : "";
        if (name.isBlank()) name = l.getValue("color") instanceof String s ? s : "";
        return truncate(name, 200);
    }

    private static double pos(JsonObject o) {
        return o.getValue("pos") instanceof Number n ? n.doubleValue() : Double.MAX_VALUE;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static JsonArray array(JsonObject o, String name, boolean required) {
        return array(o, name, required, "data");
    }

    private static JsonArray array(JsonObject o, String name, boolean required, String at) {
        Object v = o.getValue(name);
        if (v == null && !required) return new JsonArray();
        if (!(v instanceof JsonArray a)) throw LinkboardFormat.invalid(at + "." + name, "'" + name + "' must be an array");
        return a;
    }

    private static JsonObject object(JsonArray a, int i, String at) {
        if (!(a.getValue(i) instanceof JsonObject o)) throw LinkboardFormat.invalid(at + "[" + i + "]", "must be an object");
        return o;
    }

    private static String id(JsonObject o, String at) {
        String id = string(o, "id", at, true);
        if (!ID.matcher(id).matches()) throw LinkboardFormat.invalid(at + ".id", "ids are 1–64 characters of A–Z, a–z, 0–9, _ and -");
        return id;
    }

    private static String string(JsonObject o, String name, String at, boolean required) {
        Object v = o.getValue(name);
        if (v == null && !required) return null;
        if (!(v instanceof String s)) throw LinkboardFormat.invalid(at + "." + name, "'" + name + "' must be a string");
        return s;
    }

    private static boolean bool(JsonObject o, String name, String at) {
        Object v = o.getValue(name);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw LinkboardFormat.invalid(at + "." + name, "'" + name + "' must be true or false");
        return b;
    }
}
