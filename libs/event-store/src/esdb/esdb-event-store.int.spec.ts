import type { StartedTestContainer } from 'testcontainers';
import { containerRuntime } from '../../../../test/support/container-runtime';
import { skipLoudly } from '../../../../test/support/skip-loudly';
import { describeEventStoreContract } from '../event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The contract suite on EventStoreDB: against EVENTSTORE_URL when set (a shared server, so no
 * "starts empty" test), else against a throwaway insecure single node started by testcontainers
 * when a container runtime answers, else skipped with one line saying why.
 */
export const ESDB_TEST_IMAGE = 'eventstore/eventstore:24.10';
// The contract suite writes streams named contract-<uuid>; the ledger reads token-… only.
const CONTRACT_PREFIXES = ['contract-'];

const url = process.env.EVENTSTORE_URL;
if (url) {
  describeEventStoreContract(
    `esdb (EVENTSTORE_URL)`,
    async () => {
      const store = EsdbEventStore.connect(url, { streamPrefixes: CONTRACT_PREFIXES });
      return { store, cleanup: () => store.close() };
    },
    { startsEmpty: false },
  );
} else {
  const runtime = containerRuntime();
  if (!runtime.available) {
    describe('event store contract: esdb', () => {
      skipLoudly('esdb event store contract', `EVENTSTORE_URL is not set and testcontainers found no container runtime (${runtime.reason})`);
    });
  } else {
    describe('esdb in a container', () => {
      let container: StartedTestContainer;
      let connectionString = '';
      beforeAll(async () => {
        const { GenericContainer, Wait } = await import('testcontainers');
        container = await new GenericContainer(ESDB_TEST_IMAGE)
          .withEnvironment({
            EVENTSTORE_INSECURE: 'true',
            EVENTSTORE_MEM_DB: 'true',
            EVENTSTORE_RUN_PROJECTIONS: 'None',
            EVENTSTORE_CLUSTER_SIZE: '1',
          })
          .withExposedPorts(2113)
          .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
          .withStartupTimeout(120_000)
          .start();
        connectionString = `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
      }, 180_000);
      afterAll(() => container?.stop());

      // One node serves every test of the suite, so it is not empty for most of them.
      describeEventStoreContract(
        'esdb (testcontainers)',
        async () => {
          const store = EsdbEventStore.connect(connectionString, { streamPrefixes: CONTRACT_PREFIXES });
          return { store, cleanup: () => store.close() };
        },
        { startsEmpty: false },
      );
    });
  }
}
