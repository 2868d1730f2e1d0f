import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { testBrokers } from './kafka';

// Helpers for fault tests on the three-node cluster the jest global setup started
// (`npm run test:faults`: KAFKA_NODES=3, KAFKA_PORT from the environment). They drive
// deploy/kafka/kafka.sh with the same environment, so they find the same nodes it started.

const script = join(__dirname, '..', '..', '..', 'deploy', 'kafka', 'kafka.sh');

/** One node of the local cluster as `kafka.sh nodes` reports it; node ids are Kafka's node.id. */
export interface ClusterNode {
  readonly id: number;
  /** The SASL_SSL client port. */
  readonly port: number;
  readonly controllerPort: number;
  /** The JVM's pid, or undefined while the node is down. */
  readonly pid: number | undefined;
}

function kafkaSh(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('bash', [script, ...args], { env: process.env }, (error, stdout, stderr) =>
      error ? reject(new Error(`kafka.sh ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/**
 * The cluster's nodes, up or down. Throws unless they are the brokers the tests were given
 * (KAFKA_BROKERS), so a fault test never kills a broker it is not using.
 */
export async function clusterNodes(): Promise<ClusterNode[]> {
  const nodes = (await kafkaSh('nodes'))
    .split('\n')
    .map((line) => /^node=(\d+) port=(\d+) controller=(\d+) pid=(\d+|-)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, id, port, controller, pid]) => ({ id: Number(id), port: Number(port), controllerPort: Number(controller), pid: pid === '-' ? undefined : Number(pid) }));
  const given = testBrokers()
    .split(',')
    .map((broker) => Number(broker.trim().split(':').at(-1)));
  const ports = nodes.map((node) => node.port);
  if (nodes.length < 3 || ports.join() !== given.join()) {
    throw new Error(`not a three-node cluster: kafka.sh reports ports ${ports.join(', ')}, the tests use ${given.join(', ')}; run through npm run test:faults (KAFKA_NODES=3)`);
  }
  return nodes;
}

/** kill -9 on node `id` (a crash: no controlled shutdown); resolves once the process is gone. */
export async function killNode(id: number): Promise<void> {
  await clusterNodes();
  await kafkaSh('kill-node', String(id));
}

/**
 * SIGSTOP on node `id`: it stops fetching, answering and voting, but stays a member (its broker
 * session outlives a pause of a few seconds), e.g. to let a leader run ahead of its followers.
 */
export async function pauseNode(id: number): Promise<void> {
  process.kill(await pidOf(id), 'SIGSTOP');
}

/** SIGCONT on node `id` (harmless on a node that is not paused). */
export async function resumeNode(id: number): Promise<void> {
  process.kill(await pidOf(id), 'SIGCONT');
}

async function pidOf(id: number): Promise<number> {
  const pid = (await clusterNodes()).find((node) => node.id === id)?.pid;
  if (pid === undefined) throw new Error(`node ${id} is not running`);
  return pid;
}

/** Starts every node that is down (`kafka.sh start`); resolves when the cluster serves Silta's topics again. */
export async function restartNodes(): Promise<void> {
  await kafkaSh('start');
}

async function partitionOf(kafka: Kafka, topic: string, partition: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics[0]?.partitions.find((p) => p.partitionId === partition);
    if (!found) throw new Error(`no partition ${partition} of ${topic} in the metadata`);
    return found;
  } finally {
    await admin.disconnect();
  }
}

/** The node id leading a partition according to the cluster's metadata (-1: none). */
export async function leaderOf(kafka: Kafka, topic: string, partition = 0): Promise<number> {
  return (await partitionOf(kafka, topic, partition)).leader;
}

/** The node ids in a partition's in-sync replica set, sorted. */
export async function isrOf(kafka: Kafka, topic: string, partition = 0): Promise<number[]> {
  return [...(await partitionOf(kafka, topic, partition)).isr].sort((a, b) => a - b);
}
