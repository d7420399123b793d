// Tests for lint.mjs: the repository itself must pass, and each kind of
// mistake the linter exists for must be reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  columnLabels, groupingLabels, headingAnchor, lint, readmePanelReferences, substitute, syntaxErrors, templateLabels,
  valueExpression,
} from '../lint.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasources = 'grafana/provisioning/datasources/datasources.yaml';

/** A repository holding the real data sources and one dashboard built from `panels`. */
function fixture(t, panels, { datasourcesText } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'query-lint-test-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'grafana/provisioning/datasources'), { recursive: true });
  mkdirSync(path.join(root, 'grafana/dashboards'), { recursive: true });
  if (datasourcesText) writeFileSync(path.join(root, datasources), datasourcesText);
  else cpSync(path.join(repo, datasources), path.join(root, datasources));
  const dashboard = JSON.parse(readFileSync(path.join(repo, 'grafana/dashboards/service-overview.json'), 'utf8'));
  dashboard.panels = panels;
  writeFileSync(path.join(root, 'grafana/dashboards/test.json'), JSON.stringify(dashboard));
  return root;
}

function panel(overrides, target = {}) {
  return {
    id: 1,
    type: 'timeseries',
    title: 'test',
    description: 'test panel',
    datasource: { type: 'prometheus', uid: 'prometheus' },
    fieldConfig: { defaults: { unit: 's' } },
    targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'prometheus' }, expr: 'up', ...target }],
    ...overrides,
  };
}

const messages = (result) => result.errors.map((e) => e.message).join('\n');

test('the repository passes', () => {
  const result = lint(repo);
  assert.deepEqual(result.errors, []);
  assert.ok(result.promql.length > 50);
});

test('a valid panel passes', (t) => {
  assert.deepEqual(lint(fixture(t, [panel()])).errors, []);
});

test('a PromQL syntax error is reported', (t) => {
  const root = fixture(t, [panel({}, { expr: 'sum(rate(http_server_request_duration_seconds_count{service_name="$service"}[$__rate_interval])' })]);
  assert.match(messages(lint(root)), /PromQL syntax error/);
});

test('a LogQL syntax error is reported', (t) => {
  const root = fixture(t, [panel({ type: 'logs', datasource: { type: 'loki', uid: 'loki' } },
    { datasource: { type: 'loki', uid: 'loki' }, expr: '{service_name="$service" | level="ERROR"' })]);
  assert.match(messages(lint(root)), /LogQL syntax error/);
});

test('a TraceQL syntax error is reported', (t) => {
  const root = fixture(t, [panel({ type: 'table', datasource: { type: 'tempo', uid: 'tempo' } },
    { datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: '{resource.service.name="$service" && }' })]);
  assert.match(messages(lint(root)), /TraceQL syntax error/);
});

test('an undefined variable is reported', (t) => {
  const root = fixture(t, [panel({}, { expr: 'up{job="$job"}' })]);
  assert.match(messages(lint(root)), /variable \$job is not defined/);
});

test('an unknown data source uid or a wrong type is reported', (t) => {
  const root = fixture(t, [
    panel({ datasource: { type: 'prometheus', uid: 'mimir' } }, { datasource: { type: 'prometheus', uid: 'mimir' } }),
    panel({ id: 2, datasource: { type: 'loki', uid: 'prometheus' } }, { datasource: { type: 'loki', uid: 'prometheus' } }),
    panel({ id: 3, datasource: 'Prometheus' }, { datasource: 'Prometheus' }),
  ]);
  const text = messages(lint(root));
  assert.match(text, /uid "mimir" is not provisioned/);
  assert.match(text, /has type "prometheus", not "loki"/);
  assert.match(text, /referenced by name "Prometheus"/);
});

test('a panel without description or unit is reported', (t) => {
  const root = fixture(t, [panel({ description: '', fieldConfig: { defaults: {} } })]);
  const text = messages(lint(root));
  assert.match(text, /no description/);
  assert.match(text, /no unit/);
});

test('an unescaped macro in provisioning is reported', (t) => {
  const text = readFileSync(path.join(repo, datasources), 'utf8').replace('url: $${__value.raw}', 'url: ${__value.raw}');
  const root = fixture(t, [panel()], { datasourcesText: text });
  assert.match(messages(lint(root)), /would be replaced by an environment variable/);
});

test('trace-link macros are replaced from the tag mapping', () => {
  const span = { tagValues: { 'service.name': 'bank-api' }, tags: 'service_name="bank-api"' };
  const logs = substitute('{service_name="${__span.tags["service.name"]}"} | trace_id="${__trace.traceId}"', { span });
  assert.deepEqual(logs.unknown, []);
  assert.equal(syntaxErrors('logql', logs.text), 0);
  const metrics = substitute('rate(x{$__tags}[$__rate_interval])', { span });
  assert.equal(metrics.text, 'rate(x{service_name="bank-api"}[1m])');
});

test('a --var value replaces a variable\'s saved value in emitted PromQL', (t) => {
  const root = fixture(t, [panel({}, { expr: 'up{service_name="$service", deployment_environment_name="$env"}' })]);
  const panelExpr = (result) => result.promql.filter((q) => q.panel === 'test').map((q) => q.expr);
  assert.deepEqual(panelExpr(lint(root)), ['up{service_name="bank-api", deployment_environment_name="local"}']);
  const overridden = lint(root, { vars: { env: 'ci', undefinedHere: 'x' } });
  assert.deepEqual(overridden.errors, []);
  assert.deepEqual(panelExpr(overridden), ['up{service_name="bank-api", deployment_environment_name="ci"}']);
});

test('README anchors are GitHub heading anchors', () => {
  assert.equal(headingAnchor('Alert: BankApiDown'), 'alert-bankapidown');
  assert.equal(headingAnchor('Walkthrough: from a latency spike to its cause'), 'walkthrough-from-a-latency-spike-to-its-cause');
});

test('panels the README names must exist on the dashboard named before them', () => {
  const panels = new Map([['Overview', new Set(['Request rate by route', 'Error ratio'])], ['Database', new Set(['Pool use'])]]);
  const links = new Set(['p95 latency']);
  const check = (text) => readmePanelReferences(text, panels, links).map((p) => p.message);

  assert.deepEqual(check('Open **Overview**: *Request rate by route* and *Error\nratio*; the span shows *p95 latency*.'), []);
  assert.deepEqual(check('*Overview* → *Request rate*'), ['"Request rate" is not a panel of the dashboard "Overview"']);
  assert.deepEqual(check('*Overview* → *Error ratio*, then *Database* → *Error ratio*'),
    ['"Error ratio" is not a panel of the dashboard "Database"']);
  assert.deepEqual(check('*Overview*\n\n## Next\n\nsome *emphasis* here'), []);
  assert.deepEqual(check('*Overview*, then `prometheus/tests/*.test.yml` and\n```sh\nls *.json *x*\n```'), []);
});

test('grouping labels are those of the outermost aggregations', () => {
  assert.deepEqual(groupingLabels('histogram_quantile(0.95, sum by (le, db_query_summary) (rate(x_bucket[1m])))'), ['db_query_summary']);
  assert.deepEqual(groupingLabels('(sum by (route) (rate(a[1m])) or 0 * sum by (route) (rate(b[1m]))) / sum by (route) (rate(b[1m]))'), ['route']);
  assert.deepEqual(groupingLabels('count(count by (instance) (up))'), []);
  assert.deepEqual(groupingLabels('sum(rate(x[1m])) * 60'), []);
  assert.deepEqual(groupingLabels('a / ignoring (state) b'), []);
});

test('an alert rule is checked on the series its condition filters', () => {
  assert.equal(valueExpression('up{job="a"} == 0'), 'up{job="a"}');
  assert.equal(valueExpression('r:rate1h > (14.4 * 0.005)\nand\nr:rate5m > (14.4 * 0.005)'), 'r:rate1h');
  assert.equal(valueExpression('max by (e) (size) / max by (e) (capacity) > 0.8'), 'max by (e) (size) / max by (e) (capacity)');
  assert.equal(valueExpression('a > b'), 'a > b');
  assert.equal(valueExpression('absent_over_time(x[2m])'), 'absent_over_time(x[2m])');
});

test('legend, annotation and table column labels are found', () => {
  assert.deepEqual(templateLabels('{{instance}} daemon={{ jvm_thread_daemon }}'), ['instance', 'jvm_thread_daemon']);
  assert.deepEqual(templateLabels('pool {{ $labels.db_client_connection_pool_name }} on {{ $labels.instance }}'),
    ['db_client_connection_pool_name', 'instance']);
  assert.deepEqual(columnLabels({ transformations: [{ id: 'merge' }, { id: 'organize', options: {
    excludeByName: { Time: true, job: true },
    indexByName: { http_route: 0, 'Value #A': 1 },
    renameByName: { http_route: 'Route', job: 'Job', Value: 'Value' },
  } }] }), ['http_route']);
});

test('emitted PromQL carries the labels each query promises', (t) => {
  const root = fixture(t, [panel({}, { expr: 'sum by (http_route) (rate(x[$__rate_interval]))', legendFormat: '{{http_route}} {{instance}}' })]);
  const [query] = lint(root).promql.filter((q) => q.source === 'dashboard' && q.panel === 'test');
  assert.deepEqual(query.groupBy, ['http_route']);
  assert.deepEqual(query.legendLabels, ['http_route', 'instance']);
  assert.ok(query.dashboardTitle);
});

test('a LogQL syntax error in a Loki ruler rule is reported', (t) => {
  const root = fixture(t, [panel()]);
  mkdirSync(path.join(root, 'loki/rules/fake'), { recursive: true });
  writeFileSync(path.join(root, 'loki/rules/fake/test.rules.yml'), [
    'groups:',
    '  - name: test',
    '    rules:',
    '      - alert: Burst',
    '        expr: sum by (service_name) (count_over_time({level="ERROR"}[5m]) > 20',
    '        labels: {severity: warning}',
    '        annotations: {summary: s, description: d, runbook_url: docs/runbooks.md#nowhere}',
  ].join('\n'));
  const found = messages(lint(root));
  assert.match(found, /LogQL syntax error/);
});

test('runbook links are on the base URL and name a heading of the runbooks', (t) => {
  const root = fixture(t, [panel()]);
  const base = 'https://example.com/bank/blob/main/docs/runbooks.md';
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  mkdirSync(path.join(root, 'prometheus/rules'), { recursive: true });
  writeFileSync(path.join(root, 'docs/runbooks.base-url'), `${base}\n`);
  writeFileSync(path.join(root, 'docs/runbooks.md'), '# Runbooks\n\n## Alert: Known\n');
  const alert = (name, link) => [
    `      - alert: ${name}`,
    '        expr: up == 0',
    '        labels: {severity: warning}',
    `        annotations: {summary: s, description: d, runbook_url: '${link}'}`,
  ];
  writeFileSync(path.join(root, 'prometheus/rules/test.rules.yml'), [
    'groups:',
    '  - name: test',
    '    rules:',
    ...alert('Known', `${base}#alert-known`),
    ...alert('Unknown', `${base}#alert-unknown`),
    ...alert('Relative', 'docs/runbooks.md#alert-known'),
  ].join('\n'));
  const found = messages(lint(root));
  assert.doesNotMatch(found, /#alert-known names/);
  assert.match(found, /runbooks\.md#alert-unknown names no heading of docs\/runbooks\.md/);
  assert.match(found, /^runbook docs\/runbooks\.md#alert-known is not on the base URL of docs\/runbooks\.base-url/m);
});
