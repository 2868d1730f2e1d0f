/**
 * deploy/observability checked by Prometheus's own promtool: the config loads with its rules,
 * every alert fires on its case and stays quiet on its near miss (alerts.test.yml), and every
 * dashboard query is PromQL Prometheus accepts. Also that every alert has both cases, names its
 * severity and runbook, and that rules and dashboard ask only for metrics the apps promise.
 * promtool comes with Debian's prometheus package; without it this test fails and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import {
  ALERT_TESTS_FILE,
  ALERTS_FILE,
  alertRules,
  dashboard,
  dashboardExpressions,
  dataPanels,
  metricNamesIn,
  metricNamesUsed,
  panelExpressions,
  PROMETHEUS_CONFIG,
} from './metric-names';

const INSTALL_HINT = "install Debian's prometheus package, which brings promtool (apt-get install -y prometheus; .ci/run does)";

/** The metrics the apps expose at GET /metrics (the contract the rules and dashboard were written against). */
const SILTA_METRICS = [
  'silta_http_request_duration_seconds',
  'silta_ready',
  'silta_decisions_total',
  'silta_decision_category_reasons_total',
  'silta_explanations_total',
  'silta_view_consistency_wait_seconds',
  'silta_view_behind_total',
  'silta_audit_append_duration_seconds',
  'silta_audit_tree_size',
  'silta_audit_checkpoint_size',
  'silta_audit_checkpoint_timestamp_seconds',
  'silta_audit_checkpoint_interval_seconds',
  'silta_witness_witnessed_size',
  'silta_witness_alarms',
  'silta_relay_published_total',
  'silta_relay_published_position',
  'silta_relay_events_behind',
  'silta_relay_last_publish_timestamp_seconds',
  'silta_relay_lease_held',
  'silta_consumer_lag',
  'silta_consumer_applied_total',
  'silta_consumer_dead_lettered_total',
  'silta_consumer_open_alarms',
  'silta_consumer_apply_duration_seconds',
  'silta_db_pool_connections',
];
/** prom-client's default metrics the dashboard shows, and Prometheus's own `up`. */
const OTHER_METRICS = ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'up'];
/** Shown elsewhere on the dashboard: the published count and the backlog say more than the position. */
const NOT_ON_DASHBOARD = ['silta_relay_published_position'];

interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

function promtool(...args: string[]): RunResult {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`promtool could not be run (${run.error.message}): ${INSTALL_HINT}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface AlertRuleTest {
  readonly alertname: string;
  readonly eval_time: string;
  readonly exp_alerts?: readonly unknown[] | null;
}

function alertRuleTests(): AlertRuleTest[] {
  const file = load(readFileSync(ALERT_TESTS_FILE, 'utf8')) as { tests: Array<{ alert_rule_test?: AlertRuleTest[] }> };
  return file.tests.flatMap((test) => test.alert_rule_test ?? []);
}

let workDir: string;

beforeAll(() => {
  const version = promtool('--version');
  if (version.status !== 0) throw new Error(`promtool --version failed (${version.output.trim()}): ${INSTALL_HINT}`);
  workDir = mkdtempSync(join(tmpdir(), 'silta-observability-'));
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('Prometheus', () => {
  it('accepts the config, and it loads the alert rules', () => {
    const result = promtool('check', 'config', PROMETHEUS_CONFIG);
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS: 1 rule files found') });
  });

  it('scrapes each of the four local apps, labelled with its service', () => {
    const config = load(readFileSync(PROMETHEUS_CONFIG, 'utf8')) as { scrape_configs: Array<{ static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }> }> };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs ?? []).flatMap(({ targets, labels }) => targets.map((target) => [labels?.service, target]));
    expect(Object.fromEntries(targets)).toEqual({ roster: '127.0.0.1:3001', consent: '127.0.0.1:3002', disclosure: '127.0.0.1:3003', receipts: '127.0.0.1:3004' });
  });
});

describe('alert rules', () => {
  it('are valid rules', () => {
    expect(promtool('check', 'rules', ALERTS_FILE)).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fire on each case and stay quiet on each near miss of alerts.test.yml', () => {
    expect(promtool('test', 'rules', ALERT_TESTS_FILE)).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('each have a case where they fire and one where they stay quiet', () => {
    const tests = alertRuleTests();
    const cases = alertRules().map(({ alert }) => ({
      alert,
      fires: tests.some((test) => test.alertname === alert && (test.exp_alerts ?? []).length > 0),
      quiet: tests.some((test) => test.alertname === alert && (test.exp_alerts ?? []).length === 0),
    }));
    expect(cases.filter(({ fires, quiet }) => !fires || !quiet)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it('each name a severity, a summary, a description and its runbook in the README', () => {
    const incomplete = alertRules().filter(
      ({ alert, labels, annotations }) =>
        !['critical', 'warning'].includes(labels?.severity ?? '') ||
        !annotations?.summary ||
        !annotations.description ||
        annotations.runbook !== `README.md#alert-${alert.toLowerCase()}`,
    );
    expect(incomplete.map(({ alert }) => alert)).toEqual([]);
  });
});

describe('Grafana dashboard', () => {
  it('has a PromQL query on every panel, and Prometheus accepts each', () => {
    const board = dashboard();
    expect(board.schemaVersion).toBeGreaterThanOrEqual(36);
    const panels = dataPanels(board);
    expect(panels.length).toBeGreaterThan(20);
    const withoutQuery = panels.filter(({ targets }) => !targets?.length || targets.some(({ expr }) => !expr?.trim()));
    expect(withoutQuery.map(({ title }) => title)).toEqual([]);

    // promtool parses PromQL only inside rule files: each query becomes a recording rule, with
    // Grafana's variables replaced by what Grafana would put there.
    const rules = panelExpressions(board).map((expr, index) => ({
      record: `dashboard:query_${index}`,
      expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$service', '.*'),
    }));
    const file = join(workDir, 'dashboard-queries.yml');
    writeFileSync(file, dump({ groups: [{ name: 'dashboard', rules }] }));
    expect(promtool('check', 'rules', file)).toEqual({ status: 0, output: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
  });

  it('shows every metric of the apps', () => {
    const shown = new Set(dashboardExpressions().flatMap(metricNamesIn));
    expect(SILTA_METRICS.filter((name) => !shown.has(name) && !NOT_ON_DASHBOARD.includes(name))).toEqual([]);
  });
});

describe('metricNamesUsed', () => {
  it('names only metrics the apps expose, histogram series reduced to the histogram', () => {
    const used = metricNamesUsed();
    expect(used.filter((name) => !SILTA_METRICS.includes(name) && !OTHER_METRICS.includes(name))).toEqual([]);
    // The 503 alert reads silta_http_request_duration_seconds_count; the relay alert the relay gauges.
    expect(used).toEqual(expect.arrayContaining(['silta_http_request_duration_seconds', 'silta_relay_events_behind', 'silta_relay_last_publish_timestamp_seconds', 'up']));
  });

  it('reads names out of PromQL, not label values or functions', () => {
    expect(metricNamesIn('sum by (le) (rate(silta_x_seconds_bucket{route!~"/up|silta_fake"}[5m])) / up offset 5m # nodejs_comment')).toEqual(['silta_x_seconds', 'up']);
  });
});
