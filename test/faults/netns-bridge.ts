import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TcpProxy } from '@silta/testing';
import type { NetworkBoundary } from '../e2e/netns';

const root = join(__dirname, '..', '..');

/**
 * Routes across a namespace's link to services the host binds to 127.0.0.1 only (the test broker,
 * an app). Each port gets a TcpProxy on the host side of the link (hostAddress:port → 127.0.0.1:port);
 * the `loopback` ports also get a forwarder inside the namespace (its own 127.0.0.1:port →
 * hostAddress:port), for clients that must dial 127.0.0.1 there: the brokers advertise
 * 127.0.0.1:<port>, and their certificate names 127.0.0.1, so TLS verifies as on the host. Every
 * byte crosses the veth, so cutting the link cuts them all.
 */
export interface NamespaceBridge {
  /**
   * Forgets every connection across the bridge and refuses new ones until heal(), as a stateful
   * firewall or NAT on a cut line does: with the link merely down, TCP retransmission would resume
   * the same connections after a short cut, and nothing would have to reconnect.
   */
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function bridgeIntoNamespace(boundary: NetworkBoundary, { loopback, hostOnly = [] }: { loopback: readonly number[]; hostOnly?: readonly number[] }): Promise<NamespaceBridge> {
  const proxies: TcpProxy[] = [];
  let forwarder: ChildProcess | undefined;
  const close = async () => {
    if (forwarder && forwarder.exitCode === null && forwarder.signalCode === null) {
      const child = forwarder;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    await Promise.all(proxies.map((proxy) => proxy.close()));
  };
  try {
    for (const port of [...loopback, ...hostOnly]) proxies.push(await new TcpProxy('127.0.0.1', port).start({ host: boundary.hostAddress, port }));
    if (loopback.length > 0) {
      const argv = boundary.wrap([process.execPath, '-r', '@swc-node/register', join(__dirname, 'netns-forwarder.ts')]);
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: root,
        env: { PATH: process.env.PATH, SWC_NODE_PROJECT: join(root, 'tsconfig.json'), NAMESPACE_HOST_ADDRESS: boundary.hostAddress, NAMESPACE_FORWARD: loopback.join(',') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      forwarder = child;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) resolve();
        });
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code, signal) => reject(new Error(`the namespace's forwarder exited (${code ?? signal}) before it was ready:\n${output}`)));
      });
    }
    return {
      cut: () => proxies.forEach((proxy) => proxy.cut()),
      heal: () => proxies.forEach((proxy) => proxy.restore()),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
