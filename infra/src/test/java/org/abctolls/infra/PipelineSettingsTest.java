package org.abctolls.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.services.kinesis.StreamMode;

/** What {@code cdk deploy -c key=value} makes of the settings, as {@code TollsApp} reads them. */
class PipelineSettingsTest {

    private static PipelineSettings fromContext(Map<String, Object> context) {
        return PipelineSettings.fromContext(
                new App(AppProps.builder().context(context).build()).getNode());
    }

    @Test
    void withoutContextTheSettingsAreTheDefaults() {
        PipelineSettings settings = fromContext(Map.of());

        assertThat(settings.streamMode()).isEqualTo(StreamMode.PROVISIONED);
        assertThat(settings.shards()).isEqualTo(2);
        assertThat(settings.retention().toHours()).isEqualTo(24);
        assertThat(settings.silenceAlarm().toMinutes()).isEqualTo(15);
        assertThat(settings.futureToleranceText()).isEqualTo("PT5M");
    }

    @Test
    void eachContextValueOverridesItsSetting() {
        PipelineSettings settings = fromContext(Map.of(
                "streamMode", "ON_DEMAND",
                "shards", "4",
                "retentionHours", "48",
                "warehouse", "s3",
                "flinkParallelism", "3",
                "silenceMinutes", "30",
                "futureToleranceMinutes", "10"));

        assertThat(settings.streamMode()).isEqualTo(StreamMode.ON_DEMAND);
        assertThat(settings.shards()).isEqualTo(4);
        assertThat(settings.retention().toHours()).isEqualTo(48);
        assertThat(settings.warehouse()).isEqualTo(PipelineSettings.Warehouse.S3);
        assertThat(settings.flinkParallelism()).isEqualTo(3);
        assertThat(settings.silenceAlarm().toMinutes()).isEqualTo(30);
        assertThat(settings.futureToleranceText()).isEqualTo("PT10M");
    }

    /** The job takes a positive tolerance of at most 366 days; the stack refuses any other at synth. */
    @Test
    void aToleranceTheJobWouldRefuseIsRefusedWithItsKey() {
        assertThatThrownBy(() -> fromContext(Map.of("futureToleranceMinutes", "0")))
                .hasMessage("futureToleranceMinutes must be from 1 to 527040, was 0");
        assertThatThrownBy(() -> fromContext(Map.of("futureToleranceMinutes", "-1")))
                .hasMessage("futureToleranceMinutes must not be negative, was -1");
        assertThatThrownBy(() -> fromContext(Map.of("futureToleranceMinutes", "527041")))
                .hasMessage("futureToleranceMinutes must be from 1 to 527040, was 527041");
    }

    /** Kinesis keeps records from 24 hours to 365 days; any other retention is refused at synth, by its key. */
    @Test
    void aRetentionKinesisWouldRefuseIsRefusedWithItsKey() {
        assertThat(fromContext(Map.of("retentionHours", "8760")).retention().toHours())
                .isEqualTo(8760);
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "23")))
                .hasMessage("retentionHours must be from 24 to 8760, was 23");
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "8761")))
                .hasMessage("retentionHours must be from 24 to 8760, was 8761");
        assertThatThrownBy(() -> fromContext(Map.of("retentionHours", "-24")))
                .hasMessage("retentionHours must not be negative, was -24");
    }
}
