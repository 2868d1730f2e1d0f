// Summarises a V8 .cpuprofile as text for a benchmark's notes: where the self time went, by
// function and by package. Usage: node -r @swc-node/register bench/lib/profile-summary.ts <file>
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per node, grouped by function and by package (node_modules/<pkg>, node:internal, Silta's own code). */
export function summariseProfile(profile: CpuProfile, top = 12): string[] {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shortUrl(url);
    const fn = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const rank = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `profile: ${(total / 1e6).toFixed(1)} s sampled`,
    `self time by package: ${rank(byPackage).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`,
    `top functions by self time: ${rank(byFunction).map(([k, v]) => `${k} ${pct(v)}`).join('; ')}`,
  ];
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  for (const root of ['/apps/', '/libs/', '/bench/']) {
    const i = url.indexOf(root);
    if (i >= 0) return url.slice(i + 1);
  }
  return url.replace(/^file:\/\//, '');
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  for (const root of ['/apps/', '/libs/']) {
    const i = url.indexOf(root);
    if (i >= 0) return url.slice(i + 1).split('/').slice(0, 2).join('/');
  }
  return 'other';
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    console.log(`${file}:`);
    for (const line of summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(process.env.TOP ?? 12))) console.log(`  ${line}`);
  }
}
