import { metric, type BenchResult } from '../../bench/lib/result';
import { fmt, renderMetric, renderReport } from '../../bench/report';

const machine = { cpu: 'Example CPU', cores: 2, memoryGiB: 24, os: 'linux 6.1', node: 'v20.19.0', postgres: '16.4', kafka: '4.1.2' };

const decisions: BenchResult = {
  name: 'decisions',
  title: 'Disclosure decisions under load',
  command: 'npm run bench:decisions',
  startedAt: '2026-01-02T03:04:05.000Z',
  machine,
  parameters: { connections: 16, durationSeconds: 10 },
  metrics: [
    metric('mixed: audited decisions/s', 'req/s', [900, 1100, 1000], { baseline: { name: 'bare NestJS endpoint', runs: [4000, 4000, 4000] }, target: { op: '>=', value: 1000 } }),
    metric('mixed: p99 latency', 'ms', [60, 70, 65], { target: { op: '<=', value: 50 } }),
  ],
  notes: ['bounded by the audit append'],
};
const withdrawal: BenchResult = { ...decisions, name: 'withdrawal', title: 'Withdrawal propagation', command: 'npm run bench:withdrawal', metrics: [metric('p99', 'ms', [300])], notes: [] };

describe('bench report', () => {
  const report = renderReport([withdrawal, decisions]);

  it('renders each benchmark in the issue\'s order with its machine, versions, command and parameters', () => {
    expect(report.indexOf('## Disclosure decisions under load')).toBeLessThan(report.indexOf('## Withdrawal propagation'));
    expect(report).toContain('- command: `npm run bench:decisions` (run 2026-01-02T03:04:05.000Z)');
    expect(report).toContain('- machine: Example CPU, 2 cores, 24 GiB, linux 6.1');
    expect(report).toContain('- versions: node v20.19.0, PostgreSQL 16.4, Kafka 4.1.2');
    expect(report).toContain('`connections`: 16; `durationSeconds`: 10');
    expect(report).toContain('- bounded by the audit append');
  });

  it('puts median, runs, spread, baseline, ratio and met/missed in one row', () => {
    expect(report).toContain('| mixed: audited decisions/s | 1,000 req/s | 900, 1,100, 1,000 | 20 % | bare NestJS endpoint | 4,000 req/s | 0.25 | >= 1,000 req/s: **met** |');
    expect(renderMetric(decisions.metrics[1]!)).toContain('<= 50 ms: **missed**');
  });

  it('keeps the hand-written method and reproduction sections, sums up targets, and names missing benchmarks', () => {
    expect(report).toContain('## How to reproduce');
    expect(report).toContain('## Method and noise');
    expect(report).toContain('| [Disclosure decisions under load](#disclosure-decisions-under-load) | 1 of 2 |');
    expect(report).toContain('Not measured in this report: `relay`, `verify`, `audit-v2`, `scale-out`, `memory`');
  });

  it('formats numbers for reading', () => {
    expect(fmt(1234.5)).toBe('1,235');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(0.5)).toBe('0.5');
    expect(fmt(1)).toBe('1');
  });
});
