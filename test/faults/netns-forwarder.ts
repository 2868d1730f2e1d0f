import { TcpProxy } from '@silta/testing';

/**
 * Run inside a network namespace (netns-bridge.ts starts it with the boundary's `wrap`): listens on
 * the namespace's own 127.0.0.1 at each port of NAMESPACE_FORWARD (`<port>,<port>,..`) and forwards
 * to the host side of the link (NAMESPACE_HOST_ADDRESS) at the same port. Prints `ready` once every
 * port listens; runs until killed.
 */
async function main(): Promise<void> {
  const hostAddress = process.env.NAMESPACE_HOST_ADDRESS;
  const ports = (process.env.NAMESPACE_FORWARD ?? '').split(',').filter(Boolean).map(Number);
  if (!hostAddress || ports.length === 0) throw new Error('NAMESPACE_HOST_ADDRESS and NAMESPACE_FORWARD are required');
  for (const port of ports) await new TcpProxy(hostAddress, port).start({ host: '127.0.0.1', port });
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
