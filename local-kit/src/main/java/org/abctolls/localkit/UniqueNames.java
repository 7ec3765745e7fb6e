package org.abctolls.localkit;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Resource names with a random suffix, so that runs sharing one account never collide. */
public final class UniqueNames {

    private static final SecureRandom RANDOM = new SecureRandom();

    private UniqueNames() {}

    /** {@code prefix-} and 8 lowercase hex digits: valid for streams, tables, topics, queues and buckets. */
    public static String of(String prefix) {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }
}
