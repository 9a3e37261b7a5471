/**
 * The embedded store: {@link org.linkboard.server.store.embedded.SqliteStore}, SQLite in the data
 * dir, used when the server runs without Redis. One writer thread with group commit, a few reader
 * threads, futures completed on the caller's Vert.x context.
 */
package org.linkboard.server.store.embedded;
