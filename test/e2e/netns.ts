import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A Linux network namespace joined to this host by a veth pair: the host side gets `hostAddress`,
 * the namespace side `innerAddress`, both in a /30 that exists only while the namespace does. A
 * process run with `wrap(argv)` sees only the namespace's own loopback and the host side of the
 * link: nothing the host binds to 127.0.0.1 (PostgreSQL, the test broker, the apps) is reachable
 * from inside, only what listens on `hostAddress`.
 */
export interface NetworkBoundary {
  /** Where the namespace's processes reach the host: an address on the host side of the veth. */
  readonly hostAddress: string;
  /** The namespace side of the veth, where its processes listen for the host. */
  readonly innerAddress: string;
  /** True when a real namespace separates the two; false for the loopback fallback. */
  readonly isolated: boolean;
  /** Why there is no namespace, when there is none. */
  readonly unavailable?: string;
  /** The command line that runs `argv` inside the namespace. */
  wrap(argv: readonly string[]): string[];
  /** Takes the host side of the link down: nothing crosses it until heal() (a cut cable, not a refused port). */
  cut(): void;
  /** Brings the host side of the link up again; its address and route come back with it. */
  heal(): void;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/**
 * A fresh namespace and veth pair with random names and a random 10.231.x.y/30; or, where
 * namespaces cannot be made (not root, no `ip`, no CAP_NET_ADMIN), a loopback stand-in whose
 * `unavailable` says why, so the caller can say so plainly and run the same story on loopback.
 */
export function createNetworkBoundary(): NetworkBoundary {
  const tag = randomBytes(3).toString('hex');
  const [namespace, hostSide, innerSide] = [`silta-wa-${tag}`, `swh${tag}`, `swn${tag}`];
  const [third, fourth] = randomBytes(2);
  const net = fourth! & 0xfc; // a /30: .net is the network, .net+1 and .net+2 the two ends
  const [hostAddress, innerAddress] = [`10.231.${third}.${net + 1}`, `10.231.${third}.${net + 2}`];
  try {
    ip('netns', 'add', namespace);
  } catch (error) {
    return loopback(`no network namespace (ip netns add failed: ${firstLine(error)})`);
  }
  const remove = () => {
    // Deleting the namespace deletes its end of the veth, and with it the host end.
    try {
      ip('netns', 'del', namespace);
    } catch {
      // already gone
    }
    try {
      ip('link', 'del', hostSide);
    } catch {
      // went with the namespace
    }
  };
  try {
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', innerSide);
    ip('link', 'set', innerSide, 'netns', namespace);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    ip('link', 'set', hostSide, 'up');
    ip('netns', 'exec', namespace, 'ip', 'addr', 'add', `${innerAddress}/30`, 'dev', innerSide);
    ip('netns', 'exec', namespace, 'ip', 'link', 'set', innerSide, 'up');
    ip('netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    remove();
    return loopback(`the veth pair could not be set up (${firstLine(error)})`);
  }
  return {
    hostAddress,
    innerAddress,
    isolated: true,
    wrap: (argv) => ['ip', 'netns', 'exec', namespace, ...argv],
    cut: () => ip('link', 'set', hostSide, 'down'),
    heal: () => ip('link', 'set', hostSide, 'up'),
    remove,
  };
}

function loopback(reason: string): NetworkBoundary {
  const noLink = () => {
    throw new Error(`no link to cut or heal: ${reason}`);
  };
  return { hostAddress: '127.0.0.1', innerAddress: '127.0.0.1', isolated: false, unavailable: reason, wrap: (argv) => [...argv], cut: noLink, heal: noLink, remove: () => undefined };
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return (stderr || (error as Error).message).split('\n')[0]!;
}
