package org.abctolls.kclhost;

import java.nio.ByteBuffer;
import java.time.Instant;

/** One record of a shard, as the host hands it to a function. */
public record ShardRecord(String sequenceNumber, String partitionKey, ByteBuffer data, Instant approximateArrival) {}
