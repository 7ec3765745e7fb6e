package org.abctolls.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * cdk-nag findings the stack accepts, each with its reason, recorded where the resource is
 * made so that the reason sits next to the choice.
 */
final class Findings {
    private Findings() {}

    static void accept(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).build()),
                true);
    }

    /** Accepts only the findings of {@code rule} that match {@code appliesTo} (a regular expression). */
    static void acceptMatching(IConstruct construct, String rule, String appliesTo, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder()
                        .id(rule)
                        .reason(reason)
                        .appliesTo(List.of(
                                RegexAppliesTo.builder().regex(appliesTo).build()))
                        .build()),
                true);
    }
}
