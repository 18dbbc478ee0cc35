package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The renewal period against the whole-second expiry of a lease (the behaviour is in LocksContract). */
class LeaseKeeperTest {

    @Test
    void aRenewalLeavesTwoPeriodsOfSlackAfterTheExpiryIsRoundedDownToTheSecond() {
        assertEquals(333, LeaseKeeper.renewalPeriodMillis(2));
        assertEquals(9_666, LeaseKeeper.renewalPeriodMillis(30));
        assertEquals(250, LeaseKeeper.renewalPeriodMillis(1), "never more often than every 250 ms");
        for (long ttl = 2; ttl <= 3_600; ttl++) {
            long period = LeaseKeeper.renewalPeriodMillis(ttl);
            // a renewal at x.999 s buys only ttl - 1 s; the next one is due a period later
            long slack = (ttl - 1) * 1000 - period;
            assertTrue(slack >= 2 * period - 2, "ttl " + ttl + ": period " + period + " ms leaves " + slack + " ms");
        }
    }
}
