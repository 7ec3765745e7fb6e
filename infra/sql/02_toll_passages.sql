-- Passages for analysts (contract section 5): one row per eventId, its first sighting, of
-- the records that follow every rule of contract section 1 that a column shows. A re-sent
-- duplicate, or the same eventId with other content, is hidden behind the first sighting.
-- What the columns cannot show: whether the bytes were UTF-8 (COPY refuses those lines, as
-- it is run without ACCEPTINVCHARS) and JSON types (COPY loads "3" into laneid as 3).
-- On Redshift, rows of one COPY receive IDENTITY values in no guaranteed order, so two
-- sightings of an eventId within one Firehose buffer may be ordered either way.
CREATE OR REPLACE VIEW toll_passages AS
SELECT eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime, loadedat
FROM (
    SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.eventid ORDER BY e.loadseq) AS sighting
    FROM toll_events e
    WHERE LENGTH(e.eventid) BETWEEN 1 AND 64
      AND e.stationid ~ '^S[0-9]{4}$'
      AND e.laneid BETWEEN 1 AND 32
      AND e.transceiverid ~ '^T[0-9]{7}$'
      AND e.customerid ~ '^C[0-9]{7}$'
      AND e.vehicleclass IN ('MOTORCYCLE', 'CAR', 'VAN', 'BUS', 'TRUCK_2AXLE', 'TRUCK_3AXLE', 'TRUCK_4PLUS')
      AND e.amountcents BETWEEN 0 AND 100000
      AND e.eventtime <= e.loadedat + INTERVAL '5 minutes'
) first_sightings
WHERE sighting = 1;
