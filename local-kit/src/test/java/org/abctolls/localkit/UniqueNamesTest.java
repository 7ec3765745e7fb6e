package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void namesAreThePrefixAndARandomSuffixValidForEveryServiceAndDoNotRepeat() {
        Set<String> names = new HashSet<>();
        IntStream.range(0, 1_000).forEach(i -> names.add(UniqueNames.of("toll-events")));

        assertThat(names).hasSize(1_000).allMatch(name -> name.matches("toll-events-[0-9a-f]{8}"));
    }
}
