-- The warehouse table of toll events (contract section 1), loaded by Firehose with
-- COPY ... FORMAT AS JSON 'auto ignorecase': columns are the JSON field names, lower-cased.
CREATE TABLE IF NOT EXISTS toll_events (
    eventid        VARCHAR(64)  NOT NULL,
    stationid      CHAR(5)      NOT NULL,
    laneid         SMALLINT     NOT NULL,
    transceiverid  CHAR(8)      NOT NULL,
    customerid     CHAR(8)      NOT NULL,
    vehicleclass   VARCHAR(16)  NOT NULL,
    amountcents    INTEGER      NOT NULL,
    eventtime      TIMESTAMPTZ  NOT NULL
)
DISTKEY (customerid)
SORTKEY (eventtime);
