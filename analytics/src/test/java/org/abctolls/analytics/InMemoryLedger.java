package org.abctolls.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.Customer;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.MonthToDate;

/**
 * What the billing function's ledger holds after the job's totals arrive in a given order:
 * its exactly-once rule ({@link MonthToDate}) applied in memory, with the same keys (a window,
 * or a passage billed alone), and the alerts it would send for the customers' thresholds.
 */
final class InMemoryLedger {

    private final Map<String, OptionalLong> thresholds = new HashMap<>();
    private final Map<String, MonthToDate.WindowEntry> windows = new HashMap<>();
    private final Map<String, MonthToDate.MonthState> months = new TreeMap<>();
    private final List<BillingThresholdAlert> alerts = new ArrayList<>();

    /** A ledger of customers without thresholds: it bills, and never alerts. */
    InMemoryLedger() {}

    InMemoryLedger(List<Customer> customers) {
        customers.forEach(customer -> thresholds.put(customer.customerId(), customer.monthlyThresholdCents()));
    }

    void apply(CustomerWindowTotal total) {
        String window = total.customerId() + " " + total.windowStart() + " "
                + total.latePassage().orElse("");
        String month = total.customerId() + " " + BillingMonth.of(total.windowStart());
        MonthToDate.Outcome outcome = MonthToDate.apply(
                total,
                Optional.ofNullable(windows.get(window)),
                months.getOrDefault(month, MonthToDate.MonthState.EMPTY),
                thresholds.getOrDefault(total.customerId(), OptionalLong.empty()));
        if (outcome instanceof MonthToDate.Apply apply) {
            windows.put(window, apply.entry());
            months.put(month, apply.month());
            apply.alert().ifPresent(alerts::add);
        }
    }

    /** Each customer-month's total, keyed {@code "<customerId> <yyyy-MM>"}. */
    Map<String, Long> months() {
        Map<String, Long> totals = new TreeMap<>();
        months.forEach((month, state) -> totals.put(month, state.totalCents()));
        return totals;
    }

    /** The billing alerts sent, in the order the totals crossed. */
    List<BillingThresholdAlert> alerts() {
        return List.copyOf(alerts);
    }

    /** For totals of one month: each customer's total. */
    static Map<String, Long> monthTotalsByCustomer(List<CustomerWindowTotal> totals) {
        InMemoryLedger ledger = new InMemoryLedger();
        totals.forEach(ledger::apply);
        Map<String, Long> byCustomer = new TreeMap<>();
        ledger.months()
                .forEach((month, cents) -> byCustomer.merge(month.substring(0, month.indexOf(' ')), cents, Long::sum));
        return byCustomer;
    }
}
