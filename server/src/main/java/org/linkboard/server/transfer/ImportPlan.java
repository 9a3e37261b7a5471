package org.linkboard.server.transfer;

import org.linkboard.server.board.Op;

import java.util.List;

/**
 * What an import will do to a new, empty board: {@code ops} in order (parents before children,
 * links last). {@code crossBoardLinks} are links to goals on other boards, submitted after
 * everything else and skipped (counted) when the target cannot take them.
 */
record ImportPlan(String title, List<Op> ops, List<Op.Link> crossBoardLinks, int skippedItems) {
}
