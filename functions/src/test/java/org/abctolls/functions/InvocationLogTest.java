package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class InvocationLogTest {

    @Test
    void everyLineWrittenDuringTheInvocationCarriesItsRequestIdAndNoneAfter() {
        String during = InvocationLog.around(new RequestContext("req-1"), () -> MDC.get(InvocationLog.REQUEST_ID));

        assertThat(during).isEqualTo("req-1");
        assertThat(MDC.get(InvocationLog.REQUEST_ID)).isNull();
    }

    @Test
    void anInvocationThatFailsLeavesNoRequestIdBehind() {
        assertThatThrownBy(() -> InvocationLog.around(new RequestContext("req-2"), () -> {
                    throw new IllegalStateException("failed");
                }))
                .hasMessage("failed");

        assertThat(MDC.get(InvocationLog.REQUEST_ID)).isNull();
    }

    @Test
    void withoutAContextTheInvocationRunsAsItIs() {
        assertThat(InvocationLog.around(null, () -> MDC.get(InvocationLog.REQUEST_ID)))
                .isNull();
    }
}
