/**
 * The cluster store: {@link org.linkboard.server.store.redis.RedisStore}, everything in one Redis
 * (or Redis Cluster) shared by every node. Appends are compare-and-append Lua scripts that also
 * announce the ops on the cluster pub/sub channel ({@link org.linkboard.server.store.redis.OpAnnouncement});
 * the key layout is in {@link org.linkboard.server.store.redis.RedisKeys}.
 */
package org.linkboard.server.store.redis;
