// What deploy/observability asks of the apps' GET /metrics: the alert rules and the Grafana
// dashboard read from their files, and the metric names their PromQL refers to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const OBSERVABILITY_DIR = join(__dirname, '..', '..', 'deploy', 'observability');
export const PROMETHEUS_CONFIG = join(OBSERVABILITY_DIR, 'prometheus.yml');
export const ALERTS_FILE = join(OBSERVABILITY_DIR, 'alerts.yml');
export const ALERT_TESTS_FILE = join(OBSERVABILITY_DIR, 'alerts.test.yml');
export const DASHBOARD_FILE = join(OBSERVABILITY_DIR, 'grafana', 'silta-dashboard.json');

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly refId?: string; readonly expr?: string }>;
  /** A collapsed row holds its panels here instead of at the top level. */
  readonly panels?: readonly DashboardPanel[];
}

export interface Dashboard {
  readonly schemaVersion: number;
  readonly panels: readonly DashboardPanel[];
  readonly templating?: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly query?: unknown; readonly definition?: string }> };
}

/** Every alerting rule of alerts.yml (recording rules left out). */
export function alertRules(): AlertRule[] {
  const file = load(readFileSync(ALERTS_FILE, 'utf8')) as { groups: Array<{ rules: Array<Partial<AlertRule> & { record?: string }> }> };
  return file.groups.flatMap((group) => group.rules).filter((rule): rule is AlertRule => typeof rule.alert === 'string');
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** Every panel that shows data (rows are headings), including those inside collapsed rows. */
export function dataPanels(board: Dashboard = dashboard()): DashboardPanel[] {
  return board.panels.flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
}

/** The PromQL of every dashboard panel's targets. */
export function panelExpressions(board: Dashboard = dashboard()): string[] {
  return dataPanels(board)
    .flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''))
    .filter((expr) => expr.trim() !== '');
}

/** The panels' PromQL and the template variables' queries (`label_values(metric, label)`). */
export function dashboardExpressions(board: Dashboard = dashboard()): string[] {
  const variables = (board.templating?.list ?? []).filter((variable) => variable.type === 'query').map((variable) => variable.definition ?? '');
  return [...panelExpressions(board), ...variables.filter((expr) => expr.trim() !== '')];
}

const NAME = /(?<![\w:$])(silta_\w+|process_\w+|nodejs_\w+|up)(?![\w:(])/g;
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/**
 * The metric names one PromQL expression refers to, histogram series (`_bucket`, `_sum`, `_count`)
 * reduced to the histogram's name. Strings (label values) and comments are not names.
 */
export function metricNamesIn(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""').replace(/#.*$/gm, '');
  return [...new Set([...code.matchAll(NAME)].map((match) => match[1].replace(HISTOGRAM_SERIES, '')))].sort();
}

/** Every metric name the alert rules and the Grafana dashboard refer to, sorted, each once. */
export function metricNamesUsed(): string[] {
  const expressions = [...alertRules().map((rule) => rule.expr), ...dashboardExpressions()];
  return [...new Set(expressions.flatMap(metricNamesIn))].sort();
}
