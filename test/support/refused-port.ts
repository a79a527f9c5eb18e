/**
 * A loopback port where a connection is refused, for "server unreachable" tests.
 *
 * Not a port that was free a moment ago: the suites run in parallel and start servers on
 * ephemeral ports, so such a port can be handed to another suite's server before the test
 * connects (the CLI test once got a 401 from a neighbour's ledger instead of ECONNREFUSED).
 * Port 2 lies below every ephemeral range, so no `listen(0)` can take it, nothing on a test
 * machine serves on it, and it is not on fetch's blocked-port list (port 1 is: fetch fails it
 * with "bad port" before connecting, which would test nothing).
 */
export const REFUSED_PORT = 2;
