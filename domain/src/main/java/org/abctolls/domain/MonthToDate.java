package org.abctolls.domain;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applying a customer window total (contract section 4) to the customer's month-to-date
 * total, exactly once per revision: the billing function's decision, free of storage.
 *
 * <p>The ledger keeps, per (customer, window), the version applied (passages, revision) and
 * its total. A newer version adds only the difference to the month; an older or equal one
 * changes nothing, which makes a redelivered, reordered or re-emitted record harmless. A
 * late passage billed alone has a window of its own (see
 * {@link CustomerWindowTotal#latePassage}).
 */
public final class MonthToDate {

    private MonthToDate() {}

    /** What the ledger holds for one (customer, window): the version applied and its total. */
    public record WindowEntry(long passages, int revision, long totalCents) {}

    /**
     * A customer's month: the total so far and the thresholds already alerted for it (the
     * contract: once per customer, month and threshold value).
     */
    public record MonthState(long totalCents, Set<Long> alertedThresholdsCents) {
        public static final MonthState EMPTY = new MonthState(0, Set.of());

        public MonthState {
            alertedThresholdsCents = Set.copyOf(alertedThresholdsCents);
        }
    }

    /** The decision for one window total. */
    public sealed interface Outcome {}

    /** The ledger already holds this version or a newer one. */
    public record AlreadyApplied(WindowEntry applied) implements Outcome {}

    /** Store {@code entry} and {@code month}; send {@code alert} if present. */
    public record Apply(WindowEntry entry, long deltaCents, MonthState month, Optional<BillingThresholdAlert> alert)
            implements Outcome {}

    /**
     * @param previous what the ledger holds for the total's window, if anything
     * @param month the state of the window's billing month (that of its start, in UTC)
     * @param thresholdCents the customer's threshold; none means billed, never alerted
     */
    public static Outcome apply(
            CustomerWindowTotal total, Optional<WindowEntry> previous, MonthState month, OptionalLong thresholdCents) {
        if (previous.isPresent()
                && !total.isNewerThan(previous.get().passages(), previous.get().revision())) {
            return new AlreadyApplied(previous.get());
        }
        long delta = total.totalCents() - previous.map(WindowEntry::totalCents).orElse(0L);
        long before = month.totalCents();
        long after;
        try {
            after = Math.addExact(before, delta);
        } catch (ArithmeticException e) {
            throw new ContractViolationException("the month-to-date total of " + total.customerId()
                    + " would overflow: " + before + " cents and " + delta + " more");
        }
        Set<Long> alerted = new TreeSet<>(month.alertedThresholdsCents());
        Optional<BillingThresholdAlert> alert = Optional.empty();
        if (thresholdCents.isPresent()) {
            long threshold = thresholdCents.getAsLong();
            if (before < threshold && after >= threshold && alerted.add(threshold)) {
                alert = Optional.of(new BillingThresholdAlert(
                        total.customerId(), BillingMonth.of(total.windowStart()), threshold, after, total.windowEnd()));
            }
        }
        return new Apply(
                new WindowEntry(total.passages(), total.revision(), total.totalCents()),
                delta,
                new MonthState(after, alerted),
                alert);
    }
}
