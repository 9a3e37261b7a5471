package org.linkboard.server.board;

import io.vertx.core.json.JsonObject;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties of the deterministic core: whatever the mix of valid and invalid ops, replicas
 * that apply the same completed log agree, snapshots plus the tail agree with a full replay,
 * rejected ops change nothing, and ops the generator means to be valid pass validation.
 */
class BoardStateProperties {

    static final String BOARD = OpGenerator.BOARD;
    static final ItemTypes TYPES = OpGenerator.TYPES;
    final OpValidator validator = new OpValidator(TYPES);

    /** The server side: generate against the evolving state, complete, apply; returns the completed log. */
    List<Op> serverLog(long seed, int length, BoardState primary) {
        OpGenerator gen = new OpGenerator(seed);
        List<Op> log = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Op op = primary.complete(gen.next(primary).op(), TYPES);
            log.add(op);
            primary.apply(op, i + 1);
        }
        return log;
    }

    /** The op as another node sees it: through its JSON text. */
    static Op overTheWire(Op op) {
        return OpCodec.decode(new JsonObject(OpCodec.encode(op).encode()));
    }

    @Property(tries = 200)
    void replicasApplyingTheSameCompletedLogEndEqual(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int length) {
        BoardState primary = new BoardState(BOARD);
        List<Op> log = serverLog(seed, length, primary);
        BoardState replica = new BoardState(BOARD);
        for (int i = 0; i < log.size(); i++) replica.apply(overTheWire(log.get(i)), i + 1);
        assertEquals(primary.itemsToMap(), replica.itemsToMap());
        assertEquals(primary.version(), replica.version());
        assertEquals(new JsonObject(primary.itemsToMap()).encode(), new JsonObject(replica.itemsToMap()).encode(),
                "snapshots serialise identically, item and field order included");
    }

    @Property(tries = 200)
    void snapshotPlusTailEqualsFullReplay(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int length,
                                          @ForAll @IntRange(min = 0, max = 300) int cut) {
        int k = Math.min(cut, length);
        BoardState primary = new BoardState(BOARD);
        List<Op> log = serverLog(seed, length, primary);

        BoardState atK = new BoardState(BOARD);
        for (int i = 0; i < k; i++) atK.apply(log.get(i), i + 1);
        String snapshotJson = OpCodec.encodeItems(atK).encode();

        BoardState restored = OpCodec.decodeSnapshot(BOARD, k, new JsonObject(snapshotJson));
        for (int i = k; i < log.size(); i++) restored.apply(overTheWire(log.get(i)), i + 1);
        assertEquals(primary.itemsToMap(), restored.itemsToMap());
        assertEquals(primary.version(), restored.version());
        for (Item item : primary.items().values()) {
            assertEquals(primary.children(item.id()).stream().map(Item::id).toList(),
                    restored.children(item.id()).stream().map(Item::id).toList());
        }
    }

    @Property(tries = 200)
    void aSnapshotReadInOnePassEqualsOneReadThroughParsedMaps(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int length) {
        BoardState primary = new BoardState(BOARD);
        serverLog(seed, length, primary);
        String snapshotJson = OpCodec.encodeItems(primary).encode();

        BoardState streamed = BoardState.fromSnapshotJson(BOARD, length, snapshotJson);
        BoardState viaMaps = BoardState.fromSnapshot(BOARD, length, new JsonObject(snapshotJson).getMap());
        assertEquals(viaMaps.itemsToMap(), streamed.itemsToMap());
        assertEquals(primary.itemsToMap(), streamed.itemsToMap());
        for (Item item : primary.items().values()) {
            assertEquals(item, streamed.item(item.id()));
        }
    }

    @Property(tries = 200)
    void anOpRejectedForItsStructureChangesNothingButTheVersion(@ForAll long seed,
                                                                @ForAll @IntRange(min = 1, max = 300) int length) {
        OpGenerator gen = new OpGenerator(seed);
        BoardState state = new BoardState(BOARD);
        int structuralRejections = 0;
        for (int i = 1; i <= length; i++) {
            Op op = state.complete(gen.next(state).op(), TYPES);
            LinkboardException rejection = null;
            try {
                validator.validate(state, op);
            } catch (LinkboardException e) {
                rejection = e;
            }
            if (rejection != null && isStructural(rejection, op)) {
                structuralRejections++;
                Map<String, Object> before = state.itemsToMap();
                assertEquals(List.of(), state.apply(op, i), op + " rejected with " + rejection.getMessage());
                assertEquals(before, state.itemsToMap(), op.toString());
                assertEquals(i, state.version());
            } else {
                state.apply(op, i);
            }
        }
        // Guards against a generator that stops producing the rejections this property is about.
        Statistics.collect(structuralRejections > 0 ? "has structural rejections" : "none");
        Statistics.coverage(c -> c.check("has structural rejections").percentage(p -> p > 50));
    }

    /**
     * Rejections that {@link BoardState#apply} enforces by itself. Type and field-value rules
     * are the validator's alone (they depend on loaded modules), so apply does not repeat them.
     */
    static boolean isStructural(LinkboardException e, Op op) {
        if (Set.of(ErrorCode.ID_TAKEN, ErrorCode.NOT_FOUND, ErrorCode.LINK_CYCLE).contains(e.code())) return true;
        if (e.code() != ErrorCode.VALIDATION_FAILED) return false;
        Object field = e.details().get("field");
        return "id".equals(field) || "parent".equals(field) || "pos".equals(field)
                || ("to".equals(field) && op instanceof Op.Unlink);
    }

    @Property(tries = 200)
    void opsMeantToBeValidPassValidationOnceCompleted(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int length) {
        OpGenerator gen = new OpGenerator(seed);
        BoardState state = new BoardState(BOARD);
        for (int i = 1; i <= length; i++) {
            OpGenerator.Generated g = gen.next(state);
            Op op = state.complete(g.op(), TYPES);
            try {
                validator.validate(state, op);
            } catch (LinkboardException e) {
                if (g.intendedValid()) {
                    throw new AssertionError("meant to be valid: " + op + " but " + e.code() + " " + e.getMessage(), e);
                }
                continue; // like the server: a rejected op gets no seq
            }
            state.apply(op, state.version() + 1);
        }
    }

    @Property(tries = 100)
    void applyingAnOpWithoutPosEqualsApplyingItsCompletedForm(@ForAll long seed,
                                                             @ForAll @IntRange(min = 1, max = 200) int length) {
        OpGenerator gen = new OpGenerator(seed);
        BoardState raw = new BoardState(BOARD);
        BoardState completed = new BoardState(BOARD);
        for (int i = 1; i <= length; i++) {
            Op op = gen.next(raw).op();
            // Stage filling needs the types, which apply does not have; only pos completion is compared.
            raw.apply(op, i);
            completed.apply(completed.complete(op, ItemTypes.builtIn()), i);
        }
        assertEquals(raw.itemsToMap(), completed.itemsToMap());
    }
}
