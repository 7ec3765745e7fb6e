package org.abctolls.sim;

import java.util.SplittableRandom;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;

/** Ways a record breaks the contract, as a faulty transceiver or producer would break it. */
final class Malformations {

    private Malformations() {}

    /** A broken copy of a passage under a fresh event id, so it can never be taken for the passage. */
    static String corrupt(TollEvent passage, String freshEventId, SplittableRandom random) {
        String json = TollJson.write(passage).replace(passage.eventId(), freshEventId);
        return switch (random.nextInt(6)) {
            case 0 -> json.substring(0, json.length() / 2);
            case 1 -> json.replace("\"customerId\":\"" + passage.customerId() + "\",", "");
            case 2 -> json.replace(
                    passage.stationId(), "S" + passage.stationId().substring(2));
            case 3 -> json.replace(
                    "\"amountCents\":" + passage.amountCents(), "\"amountCents\":-" + passage.amountCents());
            case 4 -> json.replace("\"laneId\":" + passage.laneId(), "\"laneId\":99");
            default -> "transceiver " + passage.transceiverId() + " checksum error";
        };
    }
}
