package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class TumblingWindowTest {

    private static TumblingWindow window(String start, String end) {
        return new TumblingWindow(Instant.parse(start), Instant.parse(end));
    }

    @Test
    void billingWindowsStartEveryTenMinutesOnTheHourInUtc() {
        assertThat(TumblingWindow.containing(Instant.parse("2026-11-18T14:03:07.250Z"), TumblingWindow.BILLING))
                .isEqualTo(window("2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z"));
        assertThat(TumblingWindow.containing(Instant.parse("2026-11-18T14:59:59.999Z"), TumblingWindow.BILLING))
                .isEqualTo(window("2026-11-18T14:50:00Z", "2026-11-18T15:00:00Z"));
    }

    @Test
    void stationWindowsStartOnTheHourAndTheHalfHourInUtc() {
        assertThat(TumblingWindow.containing(Instant.parse("2026-11-18T20:29:59.999Z"), TumblingWindow.STATION))
                .isEqualTo(window("2026-11-18T20:00:00Z", "2026-11-18T20:30:00Z"));
        assertThat(TumblingWindow.containing(Instant.parse("2026-11-18T20:30:00Z"), TumblingWindow.STATION))
                .isEqualTo(window("2026-11-18T20:30:00Z", "2026-11-18T21:00:00Z"));
    }

    @Test
    void anEventExactlyAtAWindowEndBelongsToTheNextWindow() {
        TumblingWindow first = window("2026-11-18T14:00:00Z", "2026-11-18T14:10:00Z");
        Instant atEnd = Instant.parse("2026-11-18T14:10:00Z");

        assertThat(first.contains(atEnd)).isFalse();
        assertThat(first.contains(Instant.parse("2026-11-18T14:00:00Z"))).isTrue();
        assertThat(TumblingWindow.containing(atEnd, TumblingWindow.BILLING)).isEqualTo(first.next());
        assertThat(first.next().contains(atEnd)).isTrue();
    }

    @Test
    void theLastWindowOfAMonthEndsAtMidnightOfTheNextMonthAndItsEventsBillToTheOldMonth() {
        Instant lastMillisecondOfNovember = Instant.parse("2026-11-30T23:59:59.999Z");
        TumblingWindow last = TumblingWindow.containing(lastMillisecondOfNovember, TumblingWindow.BILLING);

        assertThat(last).isEqualTo(window("2026-11-30T23:50:00Z", "2026-12-01T00:00:00Z"));
        assertThat(BillingMonth.of(lastMillisecondOfNovember)).isEqualTo(YearMonth.of(2026, 11));
        assertThat(BillingMonth.of(last.start())).isEqualTo(YearMonth.of(2026, 11));
        assertThat(BillingMonth.of(last.end())).isEqualTo(YearMonth.of(2026, 12));
    }

    @Test
    void billingMonthIsTheUtcMonthWhateverTheCustomersZone() {
        assertThat(BillingMonth.of(Instant.parse("2026-12-31T23:59:59.999Z"))).isEqualTo(YearMonth.of(2026, 12));
        assertThat(BillingMonth.of(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo(YearMonth.of(2027, 1));
        assertThat(BillingMonth.of(Instant.parse("2028-02-29T12:00:00Z"))).isEqualTo(YearMonth.of(2028, 2));
    }

    @Test
    void windowsBeforeTheEpochAreAlignedToo() {
        assertThat(TumblingWindow.containing(Instant.parse("1969-12-31T23:55:00Z"), TumblingWindow.BILLING))
                .isEqualTo(window("1969-12-31T23:50:00Z", "1970-01-01T00:00:00Z"));
    }

    @Test
    void rejectsAnEmptyOrBackwardWindowAndANonPositiveSize() {
        assertThatThrownBy(() -> window("2026-11-18T14:10:00Z", "2026-11-18T14:10:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TumblingWindow.containing(Instant.EPOCH, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
