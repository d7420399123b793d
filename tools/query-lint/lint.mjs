#!/usr/bin/env node
// Static checks for every query the observability stack ships: the PromQL,
// LogQL and TraceQL in the Grafana dashboards, in the data source links
// (trace to logs, trace to metrics) and in the Prometheus rules.
//
// Queries are parsed with the grammars Grafana and Prometheus use in their own
// editors, after Grafana's variables have been replaced by plausible values, so
// a typo fails here instead of as "No data" on a dashboard.
//
//   node tools/query-lint/lint.mjs [--root DIR] [--emit-promql FILE] [--promtool PATH] [--var NAME=VALUE ...]
//
// --emit-promql writes every PromQL expression, variables substituted, as JSON
// for evaluation against a live Prometheus. --promtool additionally runs every
// PromQL expression through `promtool check rules`, which type-checks it with
// Prometheus' own parser (function arguments, vector matching). --var replaces a
// dashboard variable by VALUE instead of its saved current value, for a
// Prometheus whose labels differ from compose's (another database name).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';

const DATASOURCES_DIR = 'grafana/provisioning/datasources';
const DASHBOARDS_DIR = 'grafana/dashboards';
const RULES_DIR = 'prometheus/rules';
// Loki's ruler: one folder per tenant, LogQL rules in each.
const LOKI_RULES_DIR = 'loki/rules';
// Runbook links are absolute: this file's URL (docs/runbooks.md on the repository's web site), '#', the anchor.
const RUNBOOK_BASE_FILE = 'docs/runbooks.base-url';
const RUNBOOKS = 'docs/runbooks.md';

// Conventions every dashboard of this repository follows.
const REQUIRED_VARIABLES = ['service', 'env'];
const REFRESH = '10s';
const TIME_FROM = 'now-15m';
// Panels that plot numbers must say what the numbers are.
const PANELS_NEEDING_UNIT = new Set(['timeseries', 'stat', 'gauge', 'bargauge', 'barchart', 'histogram']);
// Data sources Grafana provides without provisioning.
const BUILTIN_DATASOURCES = new Set(['-- Grafana --', 'grafana', '-- Mixed --', '-- Dashboard --']);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

// Grafana's global variables, replaced by values a real query could have.
const GLOBALS = {
  __rate_interval: '1m',
  __interval: '15s',
  __interval_ms: '15000',
  __range: '15m',
  __range_s: '900',
  __range_ms: '900000',
  __auto: '15s',
  __from: '1767225600000',
  __to: '1767226500000',
  __dashboard: 'dashboard',
  __name: 'name',
  __org: '1',
  __user: 'user',
  __timezone: 'utc',
};
// SQL data source macros; the SQL itself is not parsed here.
const SQL_MACROS = new Set([
  '__time', '__timeEpoch', '__timeFilter', '__timeFrom', '__timeTo', '__timeGroup', '__timeGroupAlias',
  '__unixEpochFilter', '__unixEpochFrom', '__unixEpochTo', '__unixEpochNanoFilter', '__unixEpochNanoFrom',
  '__unixEpochNanoTo', '__unixEpochGroup', '__unixEpochGroupAlias',
]);

// $name, ${name}, ${name:format}, ${name.path["x"]} and [[name]].
const VARIABLE_RE = /\$\{([A-Za-z_][\w]*)((?:\.[\w]+|\[[^\]]*\])*)(?::[^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g;

const GRAMMARS = {
  promql: promqlParser,
  logql: logqlParser,
  traceql: traceqlParser,
};

/** Number of error nodes the grammar produced for a query: 0 for a valid query. */
export function syntaxErrors(language, query) {
  let errors = 0;
  GRAMMARS[language].parse(query).iterate({
    enter(node) {
      if (node.type.isError) errors++;
    },
  });
  return errors;
}

const COMPARISONS = new Set(['Gtr', 'Lss', 'Gte', 'Lte', 'Eql', 'Neq']);
const SET_OPERATORS = new Set(['And', 'Unless']);

/** The expression children of a node: operators, modifiers and grouping clauses left out. */
function operands(node) {
  const children = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!['MatchingModifierClause', 'BoolModifier', 'AggregateModifier', 'AggregateOp', 'FunctionIdentifier'].includes(child.name)
        && !COMPARISONS.has(child.name) && !SET_OPERATORS.has(child.name)) {
      children.push(child);
    }
  }
  return children;
}

/** The operator of a binary expression: the child between its two operands. */
function operator(binary) {
  const children = [];
  for (let child = binary.firstChild; child; child = child.nextSibling) children.push(child.name);
  return children.slice(1, -1).find((name) => name !== 'MatchingModifierClause' && name !== 'BoolModifier') ?? null;
}

/** Whether a subtree is a number: no series in it, only literals and arithmetic. */
function isScalar(node) {
  let series = false;
  node.toTree().iterate({
    enter(n) {
      if (n.name === 'VectorSelector' || n.name === 'FunctionCall') series = true;
    },
  });
  return !series;
}

/**
 * The labels every series of a query's result is grouped by: the `by (...)` labels of its outermost
 * aggregations, through functions, parentheses and binary operators (`le` is consumed by
 * histogram_quantile). An aggregation without `by`, or a plain selector, promises no label.
 */
export function groupingLabels(query) {
  const labels = new Set();
  const visit = (node, into) => {
    if (node.name === 'AggregateExpr') {
      const modifier = node.getChild('AggregateModifier');
      if (modifier?.getChild('By')) {
        const grouping = modifier.getChild('GroupingLabels');
        for (const label of grouping?.getChildren('LabelName') ?? []) into.add(query.slice(label.from, label.to));
      }
      return;
    }
    if (node.name === 'FunctionCall') {
      const name = query.slice(node.from, node.to).match(/^\s*(\w+)/)?.[1];
      if (['absent', 'absent_over_time', 'vector', 'scalar', 'time'].includes(name)) return;
      const inner = new Set();
      operands(node).forEach((child) => visit(child, inner));
      if (name === 'histogram_quantile') inner.delete('le');
      inner.forEach((label) => into.add(label));
      return;
    }
    if (['PromQL', 'ParenExpr', 'FunctionCallBody', 'BinaryExpr', 'SubqueryExpr', 'OffsetExpr', 'StepInvariantExpr']
        .includes(node.name)) {
      operands(node).forEach((child) => visit(child, into));
    }
  };
  visit(promqlParser.parse(query).topNode, labels);
  return [...labels];
}

/**
 * The series an alert rule's expression filters: its left-hand side with any comparison against a number
 * and any `and`/`unless` condition taken away. On a healthy stack an alert's expression returns nothing, but
 * the series it would fire on are there, with the labels its annotations name.
 */
export function valueExpression(query) {
  let node = promqlParser.parse(query).topNode.firstChild;
  for (;;) {
    while (node?.name === 'ParenExpr' && operands(node).length === 1) node = operands(node)[0];
    if (node?.name !== 'BinaryExpr') break;
    const [left, right] = operands(node);
    const op = operator(node);
    if (SET_OPERATORS.has(op) || (COMPARISONS.has(op) && isScalar(right))) node = left;
    else break;
  }
  return node ? query.slice(node.from, node.to) : query;
}

/** Labels named in Grafana's `{{label}}` or a Prometheus template's `$labels.label`. */
export function templateLabels(text) {
  const labels = new Set();
  for (const match of String(text ?? '').matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}|\$labels\.([A-Za-z_]\w*)/g)) {
    labels.add(match[1] ?? match[2]);
  }
  return [...labels];
}

/** Labels a table panel turns into columns: the fields its organize transformations order or rename. */
export function columnLabels(panel) {
  const labels = new Set();
  for (const transformation of panel.transformations ?? []) {
    if (transformation.id !== 'organize') continue;
    const options = transformation.options ?? {};
    for (const field of [...Object.keys(options.indexByName ?? {}), ...Object.keys(options.renameByName ?? {})]) {
      if (field !== 'Time' && !/^Value( #\w+)?$/.test(field) && !options.excludeByName?.[field]) labels.add(field);
    }
  }
  return [...labels];
}

/**
 * Replaces Grafana variables in a query.
 * `values` maps a dashboard variable to its sample value; `span` gives the
 * values of trace-link macros (${__span.tags["service.name"]}, $__tags, ...).
 * Returns the substituted text and the names of variables it did not know.
 */
export function substitute(query, { values = {}, span = null, sql = false } = {}) {
  const unknown = [];
  const text = query.replace(VARIABLE_RE, (match, braced, pathPart, plain, bracket) => {
    const name = braced ?? plain ?? bracket;
    const fieldPath = pathPart ?? '';
    if (Object.hasOwn(values, name)) return values[name];
    if (Object.hasOwn(GLOBALS, name)) return GLOBALS[name];
    if (sql && SQL_MACROS.has(name)) return match;
    if (span) {
      if (name === '__tags') return span.tags;
      if (name === '__trace' && fieldPath === '.traceId') return TRACE_ID;
      if (name === '__span' && fieldPath === '.traceId') return TRACE_ID;
      if (name === '__span' && fieldPath === '.spanId') return SPAN_ID;
      if (name === '__span' && fieldPath.startsWith('.tags')) {
        const key = fieldPath.match(/^\.tags(?:\.([\w]+)|\["([^"]+)"\])$/);
        if (key) return span.tagValues[key[1] ?? key[2]] ?? 'value';
      }
      if (name === '__span' || name === '__trace') return 'value';
      if (name === '__value') return TRACE_ID;
    }
    unknown.push(match);
    return match;
  });
  return { text, unknown };
}

/** Sample values for trace-link macros, from a data source's tag mapping. */
function spanContext(tags) {
  const tagValues = {
    'service.name': 'bank-api',
    'service.namespace': 'bank',
    'http.route': '/v1/accounts/{id}',
  };
  const matchers = (tags ?? []).map((tag) => {
    const key = typeof tag === 'string' ? tag : tag.key;
    const label = (typeof tag === 'string' ? tag : tag.value) || key;
    return `${label}="${tagValues[key] ?? 'value'}"`;
  });
  return { tagValues, tags: matchers.join(', ') };
}

function readYaml(file) {
  return YAML.parse(readFileSync(file, 'utf8'));
}

function listFiles(dir, suffixes) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => suffixes.some((suffix) => name.endsWith(suffix)))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Flattens dashboard panels, including those nested in collapsed rows. */
function allPanels(panels = []) {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels)]);
}

function languageOf(datasourceType, target) {
  switch (datasourceType) {
    case 'prometheus':
      return { language: 'promql', field: 'expr' };
    case 'loki':
      return { language: 'logql', field: 'expr' };
    case 'tempo':
      // Only TraceQL queries have a grammar; trace-ID lookups and the
      // service-graph view carry no query text.
      return !target.queryType || target.queryType === 'traceql' || target.queryType === 'traceqlSearch'
        ? { language: 'traceql', field: 'query' }
        : null;
    case 'grafana-postgresql-datasource':
    case 'postgres':
      return { language: 'sql', field: 'rawSql' };
    default:
      return null;
  }
}

/** Runs the checks over a repository and returns the findings. */
export function lint(root, { promtool = null, vars = {} } = {}) {
  const errors = [];
  const summary = [];
  const promql = [];
  const fail = (file, where, message) => errors.push({ file, where, message });
  const rel = (file) => path.relative(root, file);

  // --------------------------------------------------------------- data sources
  const datasources = new Map();
  const linkQueryNames = new Set();
  const datasourceFiles = listFiles(path.join(root, DATASOURCES_DIR), ['.yaml', '.yml']);
  const linkChecks = [];
  for (const file of datasourceFiles) {
    const raw = readFileSync(file, 'utf8');
    // Grafana expands $VAR and ${VAR} in provisioning files before reading
    // them: a Grafana macro needs a doubled dollar to survive.
    raw.split('\n').forEach((line, index) => {
      if (line.trimStart().startsWith('#')) return;
      const unescaped = line.match(/(^|[^$])\$(\{?__(?!env\{|file\{|vault\{)\w+)/);
      if (unescaped) {
        fail(rel(file), `line ${index + 1}`, `"$${unescaped[2]}" would be replaced by an environment variable; write "$$${unescaped[2]}"`);
      }
    });
    for (const ds of YAML.parse(raw)?.datasources ?? []) {
      if (!ds.uid) fail(rel(file), ds.name, 'data source has no fixed uid');
      else if (datasources.has(ds.uid)) fail(rel(file), ds.name, `uid "${ds.uid}" is used twice`);
      else datasources.set(ds.uid, { type: ds.type, name: ds.name, file });
      linkChecks.push({ file, ds });
    }
  }
  // Provisioning values reach Grafana with $$ collapsed to $.
  const unescape = (value) => value.replaceAll('$$', '$');
  for (const { file, ds } of linkChecks) {
    let queries = 0;
    const before = errors.length;
    const walk = (node, where) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${where}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'datasourceUid' && !datasources.has(value)) {
            fail(rel(file), `${ds.name} ${where}`, `datasourceUid "${value}" is not provisioned`);
          }
          walk(value, where ? `${where}.${key}` : key);
        }
      }
    };
    walk(ds.jsonData ?? {}, '');

    const logs = ds.jsonData?.tracesToLogsV2;
    if (logs?.customQuery && logs.query) {
      const target = datasources.get(logs.datasourceUid);
      if (target?.type === 'loki') {
        queries++;
        const { text, unknown } = substitute(unescape(logs.query), { span: spanContext(logs.tags) });
        unknown.forEach((u) => fail(rel(file), `${ds.name} tracesToLogsV2.query`, `unknown variable ${u}`));
        const n = syntaxErrors('logql', text);
        if (n) fail(rel(file), `${ds.name} tracesToLogsV2.query`, `${n} LogQL syntax error(s) in: ${text}`);
      }
    }
    const metrics = ds.jsonData?.tracesToMetrics;
    (metrics?.queries ?? []).forEach((q, i) => {
      queries++;
      const where = `${ds.name} tracesToMetrics.queries[${i}] "${q.name ?? ''}"`;
      const { text, unknown } = substitute(unescape(q.query ?? ''), { span: spanContext(metrics.tags) });
      unknown.forEach((u) => fail(rel(file), where, `unknown variable ${u}`));
      const n = syntaxErrors('promql', text);
      if (n) fail(rel(file), where, `${n} PromQL syntax error(s) in: ${text}`);
      promql.push({ source: 'datasource', file: rel(file), datasource: ds.uid, query: q.name ?? `query ${i}`, expr: text,
        groupBy: groupingLabels(text) });
      if (q.name) linkQueryNames.add(q.name);
    });
    summary.push({ file: rel(file), kind: `datasource ${ds.uid}`, panels: '-', queries, errors: errors.length - before });
  }

  // --------------------------------------------------------------- dashboards
  const dashboardUids = new Map();
  const panelTitles = new Map(); // dashboard title -> titles of its panels
  for (const file of listFiles(path.join(root, DASHBOARDS_DIR), ['.json'])) {
    const before = errors.length;
    let dashboard;
    try {
      dashboard = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      fail(rel(file), 'file', `not valid JSON: ${e.message}`);
      summary.push({ file: rel(file), kind: 'dashboard', panels: 0, queries: 0, errors: 1 });
      continue;
    }
    const where = (panel, extra = '') => `panel ${panel.id} "${panel.title ?? ''}"${extra}`;

    if (!dashboard.uid) fail(rel(file), 'dashboard', 'no fixed uid');
    else if (dashboardUids.has(dashboard.uid)) fail(rel(file), 'dashboard', `uid "${dashboard.uid}" also used by ${dashboardUids.get(dashboard.uid)}`);
    else dashboardUids.set(dashboard.uid, rel(file));
    if (!dashboard.tags?.length) fail(rel(file), 'dashboard', 'no tags');
    if (dashboard.refresh !== REFRESH) fail(rel(file), 'dashboard', `refresh is "${dashboard.refresh}", expected "${REFRESH}"`);
    if (dashboard.time?.from !== TIME_FROM) fail(rel(file), 'dashboard', `time range starts at "${dashboard.time?.from}", expected "${TIME_FROM}"`);

    const variables = dashboard.templating?.list ?? [];
    const values = {};
    for (const v of variables) {
      const current = Array.isArray(v.current?.value) ? v.current.value[0] : v.current?.value;
      // "All" stands for the variable's allValue in a query (a regex such as .+).
      values[v.name] = (current === '$__all' && v.allValue) || current || v.options?.[0]?.value || 'value';
    }
    for (const [name, value] of Object.entries(vars)) {
      if (Object.hasOwn(values, name)) values[name] = value;
    }
    for (const name of REQUIRED_VARIABLES) {
      if (!Object.hasOwn(values, name)) fail(rel(file), 'templating', `variable "${name}" is not defined`);
    }

    const checkDatasource = (ref, context) => {
      if (ref === undefined || ref === null) return null;
      if (typeof ref === 'string') {
        fail(rel(file), context, `data source referenced by name "${ref}"; use {"type": ..., "uid": ...}`);
        return null;
      }
      if (BUILTIN_DATASOURCES.has(ref.uid)) return ref.type;
      const known = datasources.get(ref.uid);
      if (!known) {
        fail(rel(file), context, `data source uid "${ref.uid}" is not provisioned`);
        return null;
      }
      if (ref.type && ref.type !== known.type) {
        fail(rel(file), context, `data source "${ref.uid}" has type "${known.type}", not "${ref.type}"`);
      }
      return known.type;
    };

    let queries = 0;
    const checkQuery = (language, query, context, extra) => {
      queries++;
      const { text, unknown } = substitute(query, { values, sql: language === 'sql' });
      unknown.forEach((u) => fail(rel(file), context, `variable ${u} is not defined in the dashboard`));
      if (language === 'sql') return;
      const n = syntaxErrors(language, text);
      if (n) fail(rel(file), context, `${n} ${language === 'promql' ? 'PromQL' : language === 'logql' ? 'LogQL' : 'TraceQL'} syntax error(s) in: ${text}`);
      if (language === 'promql') {
        promql.push({ source: 'dashboard', file: rel(file), dashboard: dashboard.uid, dashboardTitle: dashboard.title,
          ...extra, expr: text, groupBy: groupingLabels(text) });
      }
    };

    // Template variable queries: label_values(selector, label) and query_result(expr).
    for (const v of variables) {
      const context = `variable "${v.name}"`;
      const type = checkDatasource(v.datasource, context);
      if (v.type !== 'query' || type !== 'prometheus') continue;
      const query = typeof v.query === 'string' ? v.query : v.query?.query ?? '';
      const inner = query.match(/^\s*(?:label_values|query_result)\((.*)\)\s*$/s);
      if (!inner) continue;
      const expr = query.trimStart().startsWith('label_values') ? inner[1].replace(/,\s*[\w.]+\s*$/, '') : inner[1];
      if (expr.trim()) checkQuery('promql', expr, context, { variable: v.name });
    }
    for (const annotation of dashboard.annotations?.list ?? []) {
      const context = `annotation "${annotation.name}"`;
      const type = checkDatasource(annotation.datasource, context);
      if (type === 'prometheus' && annotation.expr?.trim()) {
        checkQuery('promql', annotation.expr, context, { annotation: annotation.name,
          legendLabels: templateLabels(`${annotation.titleFormat ?? ''} ${annotation.textFormat ?? ''}`) });
      }
    }

    const panels = allPanels(dashboard.panels);
    if (dashboard.title) panelTitles.set(dashboard.title, new Set(panels.map((p) => p.title)));
    const ids = new Set();
    for (const panel of panels) {
      if (ids.has(panel.id)) fail(rel(file), where(panel), 'panel id is used twice');
      ids.add(panel.id);
      if (panel.type === 'row') continue;
      if (!panel.description?.trim()) fail(rel(file), where(panel), 'panel has no description');
      if (PANELS_NEEDING_UNIT.has(panel.type) && !panel.fieldConfig?.defaults?.unit) {
        fail(rel(file), where(panel), 'panel has no unit');
      }
      if (panel.type === 'text') {
        const { unknown } = substitute(panel.options?.content ?? '', { values });
        unknown.forEach((u) => fail(rel(file), where(panel), `variable ${u} is not defined in the dashboard`));
      }
      const panelType = checkDatasource(panel.datasource, where(panel));
      for (const target of panel.targets ?? []) {
        const context = where(panel, ` query ${target.refId}`);
        const type = checkDatasource(target.datasource, context) ?? panelType;
        const lang = languageOf(type, target);
        if (!lang) continue;
        const query = target[lang.field];
        if (!query?.trim()) {
          fail(rel(file), context, `empty ${lang.field}`);
          continue;
        }
        checkQuery(lang.language, query, context, {
          panelId: panel.id, panel: panel.title, refId: target.refId,
          legendLabels: templateLabels(target.legendFormat), columnLabels: columnLabels(panel),
        });
      }
    }
    summary.push({
      file: rel(file),
      kind: `dashboard ${dashboard.uid}`,
      panels: panels.filter((p) => p.type !== 'row').length,
      queries,
      errors: errors.length - before,
    });
  }

  // --------------------------------------------------------------- rules
  const runbooks = [];
  // Every rule of a rules file (Prometheus' or Loki's format, which are the same), with where it is.
  const eachRule = (file, visit) => {
    for (const group of readYaml(file)?.groups ?? []) {
      for (const rule of group.rules ?? []) {
        const name = rule.alert ?? rule.record;
        visit(group, rule, name, `group "${group.name}" ${rule.alert ? 'alert' : 'record'} ${name}`);
      }
    }
  };
  // What every alert, Prometheus' or Loki's, must carry for the person it reaches.
  const checkAlert = (file, context, rule) => {
    if (!rule.labels?.severity) fail(rel(file), context, 'alert has no severity label');
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!rule.annotations?.[key]) fail(rel(file), context, `alert has no ${key} annotation`);
    }
    if (rule.annotations?.runbook_url) runbooks.push({ file: rel(file), context, link: rule.annotations.runbook_url });
  };
  for (const file of listFiles(path.join(root, RULES_DIR), ['.rules.yml', '.rules.yaml'])) {
    const before = errors.length;
    let queries = 0;
    eachRule(file, (group, rule, name, context) => {
        queries++;
        const n = syntaxErrors('promql', rule.expr ?? '');
        if (n) fail(rel(file), context, `${n} PromQL syntax error(s)`);
        const expr = String(rule.expr).trim();
        promql.push({
          source: 'rule', file: rel(file), group: group.name, rule: name, expr,
          groupBy: groupingLabels(expr),
          annotationLabels: templateLabels(Object.values({ ...rule.annotations, ...rule.labels }).join(' ')),
          valueExpr: rule.alert ? valueExpression(expr) : expr,
        });
        if (rule.alert) checkAlert(file, context, rule);
    });
    summary.push({ file: rel(file), kind: 'rules', panels: '-', queries, errors: errors.length - before });
  }

  // --------------------------------------------------------------- Loki ruler rules (LogQL)
  const lokiRulesRoot = path.join(root, LOKI_RULES_DIR);
  const lokiRuleFiles = existsSync(lokiRulesRoot)
    ? readdirSync(lokiRulesRoot, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((tenant) => listFiles(path.join(lokiRulesRoot, tenant.name), ['.yml', '.yaml']))
    : [];
  for (const file of lokiRuleFiles) {
    const before = errors.length;
    let queries = 0;
    eachRule(file, (group, rule, name, context) => {
        queries++;
        const n = syntaxErrors('logql', String(rule.expr ?? ''));
        if (n || !String(rule.expr ?? '').trim()) fail(rel(file), context, `${n} LogQL syntax error(s) in: ${rule.expr}`);
        if (rule.alert) checkAlert(file, context, rule);
    });
    summary.push({ file: rel(file), kind: 'loki rules', panels: '-', queries, errors: errors.length - before });
  }

  if (promtool) promtoolCheck(promtool, promql, errors);
  // --------------------------------------------------------------- documentation
  // The README and the Markdown files it links to: runbook links must name a heading of their file, and
  // every panel named in italics must exist.
  const documents = ['README.md', 'CONTRIBUTING.md', ...listFiles(path.join(root, 'docs'), ['.md']).map(rel)]
    .filter((doc) => existsSync(path.join(root, doc)));
  const headings = new Map(documents.map((doc) => {
    const text = readFileSync(path.join(root, doc), 'utf8');
    return [doc, new Set(text.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => headingAnchor(l.replace(/^#+ /, ''))))];
  }));
  const runbookBase = existsSync(path.join(root, RUNBOOK_BASE_FILE))
    ? readFileSync(path.join(root, RUNBOOK_BASE_FILE), 'utf8').trim() : null;
  for (const { file, context, link } of runbooks) {
    const [url, anchor] = link.split('#');
    const target = url === runbookBase ? RUNBOOKS : url;
    if (runbookBase && url !== runbookBase) fail(file, context, `runbook ${link} is not on the base URL of ${RUNBOOK_BASE_FILE}, ${runbookBase}`);
    else if (!headings.has(target)) fail(file, context, `runbook ${link} names no document of the repository`);
    else if (!headings.get(target).has(anchor)) fail(file, context, `runbook ${link} names no heading of ${target}`);
  }
  for (const doc of documents) {
    const text = readFileSync(path.join(root, doc), 'utf8');
    for (const problem of readmePanelReferences(text, panelTitles, linkQueryNames)) fail(doc, problem.where, problem.message);
  }

  return { errors, summary, promql };
}

/**
 * Type-checks every PromQL expression with Prometheus' own parser by handing
 * them to `promtool check rules` as recording rules.
 */
function promtoolCheck(promtool, promql, errors) {
  const dir = mkdtempSync(path.join(tmpdir(), 'query-lint-'));
  try {
    const file = path.join(dir, 'expressions.rules.yml');
    const rules = promql.map((q, i) => ({ record: `query_lint_expression_${i}`, expr: q.expr }));
    writeFileSync(file, YAML.stringify({ groups: [{ name: 'query-lint', rules }] }));
    const run = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    if (run.error) {
      errors.push({ file: promtool, where: 'promtool', message: run.error.message });
      return;
    }
    if (run.status === 0) return;
    const output = `${run.stdout}${run.stderr}`;
    const failing = [...output.matchAll(/query_lint_expression_(\d+)/g)].map((m) => Number(m[1]));
    for (const index of new Set(failing)) {
      const q = promql[index];
      const line = output.split('\n').find((l) => l.includes(`query_lint_expression_${index}"`)) ?? '';
      errors.push({ file: q.file, where: q.panel ?? q.rule ?? q.query ?? q.variable ?? 'expression', message: `promtool: ${line.trim()}` });
    }
    if (!failing.length) errors.push({ file: 'promtool', where: 'check rules', message: output.trim() });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(rows) {
  const headers = ['file', 'kind', 'panels', 'queries', 'errors'];
  const cells = [headers, ...rows.map((r) => headers.map((h) => String(r[h])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(headers.map((h) => String(r[h])))));
}

/** The anchor GitHub gives a Markdown heading. */
export function headingAnchor(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/**
 * Panels the README names, in italics, must exist: a dashboard's title (in italics or bold) sets the
 * dashboard that later italic names refer to, until the next heading. A name may also be a trace-to-metrics
 * link query, which Grafana shows under the span. Italics before any dashboard title are plain emphasis.
 */
export function readmePanelReferences(readme, panelTitles, linkQueryNames) {
  const problems = [];
  let dashboard = null;
  // Paragraphs, joined into one line each, so that a name broken over two lines is still one name.
  const paragraphs = [];
  let fenced = false;
  readme.split('\n').forEach((raw, index) => {
    if (raw.startsWith('```')) fenced = !fenced;
    if (fenced || raw.startsWith('```')) return;
    const line = raw.replace(/`[^`]*`/g, 'code'); // asterisks in code are globs, not emphasis
    const last = paragraphs[paragraphs.length - 1];
    if (/^#{1,6} /.test(line) || !line.trim()) paragraphs.push({ line: index + 1, text: line, heading: line.startsWith('#') });
    else if (last && !last.heading && last.text.trim()) last.text += ` ${line.trim()}`;
    else paragraphs.push({ line: index + 1, text: line, heading: false });
  });
  for (const paragraph of paragraphs) {
    if (paragraph.heading) {
      dashboard = null;
      continue;
    }
    for (const match of paragraph.text.matchAll(/\*\*([^*]+)\*\*|(?<!\*)\*([^*]+)\*(?!\*)/g)) {
      const name = (match[1] ?? match[2]).trim();
      if (panelTitles.has(name)) {
        dashboard = name;
      } else if (match[2] && dashboard && !panelTitles.get(dashboard).has(name) && !linkQueryNames.has(name)) {
        problems.push({ where: `paragraph at line ${paragraph.line}`, message: `"${name}" is not a panel of the dashboard "${dashboard}"` });
      }
    }
  }
  return problems;
}

function parseArgs(argv) {
  const options = { root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), emit: null, promtool: null, vars: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--root') options.root = path.resolve(next());
    else if (arg === '--emit-promql') options.emit = path.resolve(next());
    else if (arg === '--promtool') options.promtool = next();
    else if (arg === '--var') {
      const [, name, value] = next().match(/^([A-Za-z_]\w*)=(.*)$/) ?? [];
      if (!name) throw new Error('--var needs NAME=VALUE');
      options.vars[name] = value;
    } else if (arg === '--help' || arg === '-h') {
      console.log('usage: lint.mjs [--root DIR] [--emit-promql FILE] [--promtool PATH] [--var NAME=VALUE ...]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  const { errors, summary, promql } = lint(options.root, { promtool: options.promtool, vars: options.vars });
  for (const e of errors) console.error(`ERROR ${e.file}: ${e.where}: ${e.message}`);
  if (errors.length) console.error('');
  printTable(summary);
  const total = summary.reduce((n, r) => n + r.queries, 0);
  console.log(`\n${summary.length} files, ${total} queries, ${errors.length} errors${options.promtool ? ' (with promtool)' : ''}`);
  if (options.emit) {
    writeFileSync(options.emit, `${JSON.stringify(promql, null, 2)}\n`);
    console.log(`${promql.length} PromQL expressions written to ${options.emit}`);
  }
  process.exit(errors.length ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
