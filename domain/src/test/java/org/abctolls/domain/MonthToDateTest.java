package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.abctolls.domain.MonthToDate.AlreadyApplied;
import org.abctolls.domain.MonthToDate.Apply;
import org.abctolls.domain.MonthToDate.MonthState;
import org.abctolls.domain.MonthToDate.WindowEntry;
import org.junit.jupiter.api.Test;

class MonthToDateTest {

    private static final String CUSTOMER = "C0000123";

    private static CustomerWindowTotal total(String start, long cents, int revision) {
        Instant windowStart = Instant.parse(start);
        return new CustomerWindowTotal(
                CUSTOMER, windowStart, windowStart.plus(TumblingWindow.BILLING), cents, 1, revision);
    }

    @Test
    void aFirstRevisionAddsItsWholeTotal() {
        Apply apply = (Apply) MonthToDate.apply(
                total("2026-11-18T14:00:00Z", 550, 0), Optional.empty(), MonthState.EMPTY, OptionalLong.empty());

        assertThat(apply.entry()).isEqualTo(new WindowEntry(1, 0, 550));
        assertThat(apply.deltaCents()).isEqualTo(550);
        assertThat(apply.month()).isEqualTo(new MonthState(550, Set.of()));
        assertThat(apply.alert()).isEmpty();
    }

    /** Only a ledger edited by hand could hold such a total; it must not wrap round to a credit. */
    @Test
    void aMonthToDateThatWouldOverflowIsAContractViolation() {
        assertThatThrownBy(() -> MonthToDate.apply(
                        total("2026-11-18T14:00:00Z", 550, 0),
                        Optional.empty(),
                        new MonthState(Long.MAX_VALUE - 100, Set.of()),
                        OptionalLong.empty()))
                .isInstanceOf(ContractViolationException.class)
                .hasMessageContaining("would overflow");
    }

    @Test
    void aNewerRevisionAddsOnlyTheDifference() {
        Apply apply = (Apply) MonthToDate.apply(
                total("2026-11-18T14:00:00Z", 850, 1),
                Optional.of(new WindowEntry(1, 0, 550)),
                new MonthState(2_000, Set.of()),
                OptionalLong.empty());

        assertThat(apply.deltaCents()).isEqualTo(300);
        assertThat(apply.month().totalCents()).isEqualTo(2_300);
    }

    @Test
    void anEqualOrOlderRevisionChangesNothing() {
        Optional<WindowEntry> applied = Optional.of(new WindowEntry(1, 2, 900));
        MonthState month = new MonthState(2_000, Set.of());

        assertThat(MonthToDate.apply(total("2026-11-18T14:00:00Z", 900, 2), applied, month, OptionalLong.of(1)))
                .isEqualTo(new AlreadyApplied(applied.get()));
        assertThat(MonthToDate.apply(total("2026-11-18T14:00:00Z", 850, 1), applied, month, OptionalLong.of(1)))
                .isEqualTo(new AlreadyApplied(applied.get()));
    }

    /**
     * A job restored from a checkpoint taken before the window first fired can fire it again
     * with both passages at revision 0, then number the next late passage revision 1: a revision
     * already applied, with a different total. The distinct-passage count orders them right.
     */
    @Test
    void aWindowReEmittedByARestoredJobWithRevisionsNumberedAfreshIsStillBilledByItsContent() {
        Instant start = Instant.parse("2026-11-18T14:00:00Z");
        Instant end = start.plus(TumblingWindow.BILLING);
        CustomerWindowTotal firstFiring = new CustomerWindowTotal(CUSTOMER, start, end, 100, 1, 0);
        CustomerWindowTotal latePassage = new CustomerWindowTotal(CUSTOMER, start, end, 250, 2, 1);
        CustomerWindowTotal replayedTogether = new CustomerWindowTotal(CUSTOMER, start, end, 250, 2, 0);
        CustomerWindowTotal laterLatePassage = new CustomerWindowTotal(CUSTOMER, start, end, 325, 3, 1);

        long month = 0;
        Optional<WindowEntry> applied = Optional.empty();
        for (CustomerWindowTotal total : List.of(firstFiring, latePassage, replayedTogether, laterLatePassage)) {
            if (MonthToDate.apply(total, applied, new MonthState(month, Set.of()), OptionalLong.empty())
                    instanceof Apply apply) {
                month = apply.month().totalCents();
                applied = Optional.of(apply.entry());
            }
        }

        assertThat(month).isEqualTo(325);
        assertThat(applied).contains(new WindowEntry(3, 1, 325));
    }

    @Test
    void reachingTheThresholdExactlyAlertsOnce() {
        Apply crossing = (Apply) MonthToDate.apply(
                total("2026-11-18T14:00:00Z", 1_000, 0),
                Optional.empty(),
                new MonthState(4_000, Set.of()),
                OptionalLong.of(5_000));

        assertThat(crossing.alert())
                .contains(new BillingThresholdAlert(
                        CUSTOMER, YearMonth.of(2026, 11), 5_000, 5_000, Instant.parse("2026-11-18T14:10:00Z")));
        assertThat(crossing.month().alertedThresholdsCents()).containsExactly(5_000L);

        Apply after = (Apply) MonthToDate.apply(
                total("2026-11-18T14:10:00Z", 300, 0), Optional.empty(), crossing.month(), OptionalLong.of(5_000));
        assertThat(after.alert()).isEmpty();
    }

    @Test
    void stayingBelowOrAlreadyAboveDoesNotAlertAndNoThresholdNeverAlerts() {
        MonthState below = new MonthState(100, Set.of());
        assertThat(((Apply) MonthToDate.apply(
                                total("2026-11-18T14:00:00Z", 4_899, 0),
                                Optional.empty(),
                                below,
                                OptionalLong.of(5_000)))
                        .alert())
                .isEmpty();
        assertThat(((Apply) MonthToDate.apply(
                                total("2026-11-18T14:00:00Z", 99_999, 0),
                                Optional.empty(),
                                below,
                                OptionalLong.empty()))
                        .alert())
                .isEmpty();
    }

    @Test
    void aRaisedThresholdIsAlertedAgainInTheSameMonth() {
        MonthState alertedAtFifty = new MonthState(5_200, Set.of(5_000L));

        Apply apply = (Apply) MonthToDate.apply(
                total("2026-11-20T09:00:00Z", 5_000, 0), Optional.empty(), alertedAtFifty, OptionalLong.of(10_000));

        assertThat(apply.alert()).map(BillingThresholdAlert::thresholdCents).contains(10_000L);
        assertThat(apply.month().alertedThresholdsCents()).containsExactlyInAnyOrder(5_000L, 10_000L);
    }

    @Test
    void theLastWindowOfAMonthBelongsToTheMonthItStartsIn() {
        Apply apply = (Apply) MonthToDate.apply(
                total("2026-11-30T23:50:00Z", 600, 0),
                Optional.empty(),
                new MonthState(4_500, Set.of()),
                OptionalLong.of(5_000));

        assertThat(apply.alert())
                .contains(new BillingThresholdAlert(
                        CUSTOMER, YearMonth.of(2026, 11), 5_000, 5_100, Instant.parse("2026-12-01T00:00:00Z")));
    }
}
