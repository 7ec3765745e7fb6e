package org.abctolls.domain;

/** A reference data file that breaks the contract; the message names the file, line and field. */
public class ReferenceDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final long line;

    public ReferenceDataException(String fileName, long line, String field, String problem) {
        super(fileName + " line " + line + (field == null ? "" : ", " + field) + ": " + problem);
        this.fileName = fileName;
        this.line = line;
    }

    public String fileName() {
        return fileName;
    }

    public long line() {
        return line;
    }
}
