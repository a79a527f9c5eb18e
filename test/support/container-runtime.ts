import { spawnSync } from 'node:child_process';

/**
 * Whether testcontainers finds a container runtime, asked in a child process because jest
 * decides which tests exist synchronously. The child runs testcontainers' own detection (Docker
 * socket, DOCKER_HOST, Podman, ~/.testcontainers.properties) and prints why when there is none.
 */
export function containerRuntime(): { available: true } | { available: false; reason: string } {
  const probe = `require('testcontainers').getContainerRuntimeClient()
    .then(() => process.exit(0), (e) => { process.stdout.write(String(e && e.message || e)); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 20_000, env: process.env });
  if (result.status === 0) return { available: true };
  const reason = (result.stdout || result.stderr || 'probe timed out').trim().split('\n')[0];
  return { available: false, reason };
}
