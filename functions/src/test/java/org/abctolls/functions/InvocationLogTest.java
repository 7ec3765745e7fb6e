package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class InvocationLogTest {

    @Test
    void everyLineWrittenDuringTheInvocationCarriesItsRequestIdAndNoneAfter() {
        String during = InvocationLog.around(invocation("req-1"), () -> MDC.get(InvocationLog.REQUEST_ID));

        assertThat(during).isEqualTo("req-1");
        assertThat(MDC.get(InvocationLog.REQUEST_ID)).isNull();
    }

    @Test
    void anInvocationThatFailsLeavesNoRequestIdBehind() {
        assertThatThrownBy(() -> InvocationLog.around(invocation("req-2"), () -> {
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

    private static Context invocation(String requestId) {
        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn(requestId);
        return context;
    }
}
