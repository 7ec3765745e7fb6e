package org.abctolls.sim;

import org.abctolls.domain.VehicleClass;

/**
 * A simulated customer with one transceiver. {@code weight} is how often they drive relative
 * to others: daily commuters weigh far more than occasional drivers.
 */
record CustomerProfile(String customerId, String transceiverId, VehicleClass vehicleClass, double weight) {}
