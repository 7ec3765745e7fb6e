package org.abctolls.domain;

/** A record of this pipeline's own outputs that does not meet the data contract; the message says why. */
public class ContractViolationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContractViolationException(String reason) {
        super(reason);
    }
}
