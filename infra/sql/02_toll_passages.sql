-- Passages for analysts (contract section 5): one row per eventId, its first sighting, of the
-- records that follow every rule of contract section 1 that a column shows. A re-sent
-- duplicate, or the same eventId with other content, is hidden behind the first sighting.
-- Redshift compares VARCHAR values without their trailing spaces: the length keeps "e1" and
-- "e1 " apart, and the vehicle class is matched whole by a pattern rather than by IN.
-- What the columns cannot show (JSON types, key case, the event time's exact form, UTF-8) is
-- left to the load: on the kit the contract's parser judges every record before it loads.
-- So is an event time too far ahead: the tolerance is the deployment's (futureToleranceMinutes)
-- and counts from the record's arrival on the stream, which the table does not hold; its load
-- comes minutes later, so no bound on loadedat is the contract's.
CREATE OR REPLACE VIEW toll_passages AS
SELECT eventid, stationid, laneid, transceiverid, customerid, vehicleclass, amountcents, eventtime, loadedat
FROM (
    SELECT e.*,
           ROW_NUMBER() OVER (PARTITION BY e.eventid, LENGTH(e.eventid) ORDER BY e.loadedat, e.loadseq) AS sighting
    FROM toll_events e
    WHERE LENGTH(e.eventid) BETWEEN 1 AND 64
      AND e.stationid ~ '^S[0-9]{4}$'
      AND e.laneid BETWEEN 1 AND 32
      AND e.transceiverid ~ '^T[0-9]{7}$'
      AND e.customerid ~ '^C[0-9]{7}$'
      AND e.vehicleclass ~ '^(MOTORCYCLE|CAR|VAN|BUS|TRUCK_2AXLE|TRUCK_3AXLE|TRUCK_4PLUS)$'
      AND e.amountcents BETWEEN 0 AND 100000
) first_sightings
WHERE sighting = 1;
