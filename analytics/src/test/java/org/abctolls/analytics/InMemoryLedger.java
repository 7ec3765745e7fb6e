package org.abctolls.analytics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.MonthToDate;

/**
 * What the billing function's ledger holds after the job's totals arrive in a given order:
 * its exactly-once rule ({@link MonthToDate}) applied in memory, with the same keys (a window,
 * or a passage billed alone).
 */
final class InMemoryLedger {

    private final Map<String, MonthToDate.WindowEntry> windows = new HashMap<>();
    private final Map<String, Long> months = new TreeMap<>();

    void apply(CustomerWindowTotal total) {
        String window = total.customerId() + " " + total.windowStart() + " "
                + total.latePassage().orElse("");
        String month = total.customerId() + " " + BillingMonth.of(total.windowStart());
        MonthToDate.Outcome outcome = MonthToDate.apply(
                total,
                Optional.ofNullable(windows.get(window)),
                new MonthToDate.MonthState(months.getOrDefault(month, 0L), Set.of()),
                OptionalLong.empty());
        if (outcome instanceof MonthToDate.Apply apply) {
            windows.put(window, apply.entry());
            months.put(month, apply.month().totalCents());
        }
    }

    /** Each customer-month's total, keyed {@code "<customerId> <yyyy-MM>"}. */
    Map<String, Long> months() {
        return Map.copyOf(months);
    }

    /** For totals of one month: each customer's total. */
    static Map<String, Long> monthTotalsByCustomer(List<CustomerWindowTotal> totals) {
        InMemoryLedger ledger = new InMemoryLedger();
        totals.forEach(ledger::apply);
        Map<String, Long> byCustomer = new TreeMap<>();
        ledger.months.forEach(
                (month, cents) -> byCustomer.merge(month.substring(0, month.indexOf(' ')), cents, Long::sum));
        return byCustomer;
    }
}
