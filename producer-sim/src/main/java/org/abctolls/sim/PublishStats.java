package org.abctolls.sim;

import java.util.concurrent.atomic.AtomicLong;

/** Running counts of a publisher, read by the progress line from another thread. */
public final class PublishStats {

    final AtomicLong sent = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    public long sent() {
        return sent.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long retried() {
        return retried.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Records never sent because Kinesis cannot take them (over its record limit). */
    public long rejected() {
        return rejected.get();
    }
}
