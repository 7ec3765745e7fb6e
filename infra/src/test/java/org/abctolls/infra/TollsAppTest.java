package org.abctolls.infra;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The entry point {@code cdk synth} and {@code cdk deploy} run (cdk.json), with no context given. */
class TollsAppTest {

    @Test
    void synthesizesTheStackAsCdkDoes() {
        assertThatCode(() -> TollsApp.main(new String[0])).doesNotThrowAnyException();
    }
}
