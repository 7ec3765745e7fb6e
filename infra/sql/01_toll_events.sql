-- The warehouse table of toll events (contract section 1), loaded by Firehose with
-- COPY ... FORMAT AS JSON 'auto ignorecase': columns are the JSON field names, lower-cased.
-- Only records that follow the contract reach it (Firehose's transformation, or the kit's
-- loader, judges each with the contract's parser), re-sent duplicates included; analysts
-- read passages through the toll_passages view.
CREATE TABLE IF NOT EXISTS toll_events (
    -- Redshift counts VARCHAR lengths in bytes: 64 characters of UTF-8 take up to 256.
    eventid        VARCHAR(256) NOT NULL,
    stationid      VARCHAR(5)   NOT NULL,
    laneid         SMALLINT     NOT NULL,
    transceiverid  VARCHAR(8)   NOT NULL,
    customerid     VARCHAR(8)   NOT NULL,
    vehicleclass   VARCHAR(16)  NOT NULL,
    amountcents    INTEGER      NOT NULL,
    eventtime      TIMESTAMPTZ  NOT NULL,
    -- Not in the records: set as each row loads. The view's "first sighting" is the
    -- first loaded.
    loadedat       TIMESTAMPTZ  NOT NULL DEFAULT GETDATE(),
    loadseq        BIGINT       IDENTITY(1, 1)
)
DISTKEY (customerid)
SORTKEY (eventtime);
