package org.abctolls.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** The billing month of a passage: the calendar month of its event time in UTC (contract section 3). */
public final class BillingMonth {

    private BillingMonth() {}

    public static YearMonth of(Instant eventTime) {
        return YearMonth.from(eventTime.atOffset(ZoneOffset.UTC));
    }
}
