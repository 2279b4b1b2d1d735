// Report formats: text for a person at a terminal, the JSON contract, JUnit XML for CI
// dashboards, and Gradescope's results.json for autograders.

import type { CheckResult, Report } from '../grader/report.ts';
import { figureText, figuresShortText } from './figure-text.ts';
import { wrap } from './text-wrap.ts';

export type Format = 'text' | 'json' | 'junit' | 'gradescope';
export const FORMATS: readonly Format[] = ['text', 'json', 'junit', 'gradescope'];

interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
const ansi: Paint = {
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
};

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', error: '!', timeout: '⏱' };

function percent(report: Report): string {
  return report.maxScore ? `${Math.round((report.score / report.maxScore) * 100)}%` : '—';
}

export interface TextOptions {
  color?: boolean;
  title?: string;
  width?: number;
  /** Step titles by number, from the lab's steps/ files. */
  steps?: Record<number, string>;
}

export function formatText(report: Report, options: TextOptions = {}): string {
  const p = options.color ? ansi : plain;
  const width = Math.max(50, Math.min(options.width ?? 100, 120));
  const status = report.status === 'pass' ? p.green('pass') : report.status === 'fail' ? p.yellow('fail') : p.red('error');
  const lines: string[] = [];
  lines.push(p.bold(`${report.lab}${options.title ? ` — ${options.title}` : ''}`));
  lines.push(
    `${p.bold(`Score ${report.score}/${report.maxScore}`)} (${percent(report)}) · ${status} · ${(report.durationMs / 1000).toFixed(2)} s · ${report.engine} engine`,
  );
  if (report.engineNote) lines.push(p.dim(report.engineNote));
  if (report.error) {
    const where = report.error.file ? `${report.error.file}${report.error.line ? `:${report.error.line}` : ''}${report.error.column ? `:${report.error.column}` : ''}` : '';
    lines.push('');
    lines.push(p.red(`Could not grade (${report.error.kind})${where ? ` at ${where}` : ''}:`));
    lines.push(wrap(report.error.message, width - 2, '  '));
    return lines.join('\n');
  }
  let step = 0;
  for (const check of report.checks) {
    if (check.step !== step) {
      step = check.step;
      const inStep = report.checks.filter((c) => c.step === step);
      const passed = inStep.filter((c) => c.status === 'pass').length;
      lines.push('');
      lines.push(p.bold(`Step ${step}${options.steps?.[step] ? `: ${options.steps[step]}` : ''}`) + p.dim(` · ${passed}/${inStep.length} passed`));
    }
    // A step not started yet is not a mistake: it gets a quiet mark of its own.
    const mark = check.unfinished
      ? p.dim('○')
      : check.status === 'pass' ? p.green(MARK.pass) : check.status === 'fail' ? p.red(MARK.fail) : p.yellow(MARK[check.status]);
    const hidden = check.visibility === 'hidden' ? p.dim(' (hidden)') : '';
    const points = check.maxScore !== 1 ? p.dim(` [${check.score}/${check.maxScore}]`) : '';
    lines.push(`  ${mark} ${check.title}${hidden}${points} ${p.dim(check.id)}`);
    if (check.status !== 'pass' && check.message) lines.push(wrap(check.message, width - 6, '      '));
    // Figures are what the check measured: shown whether it passed or not.
    for (const figure of check.figures ?? []) {
      const [heading, ...rest] = figureText(figure, { indent: '      ', width });
      lines.push(p.bold(heading!), ...rest);
    }
    if (check.figuresOmitted) lines.push(p.dim(`      (${check.figuresOmitted} more figure${check.figuresOmitted === 1 ? '' : 's'} left out)`));
  }
  const failing = report.checks.filter((c) => c.status !== 'pass').length;
  lines.push('');
  lines.push(failing ? `${failing} of ${report.checks.length} checks need work.` : p.green(`All ${report.checks.length} checks pass.`));
  return lines.join('\n');
}

export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2);
}

function xml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function formatJunit(report: Report): string {
  const failures = report.checks.filter((c) => c.status === 'fail').length;
  const errors = report.checks.filter((c) => c.status === 'error' || c.status === 'timeout').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="whetstone" tests="${report.checks.length}" failures="${failures}" errors="${errors}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(report.lab)}" tests="${report.checks.length}" failures="${failures}" errors="${errors}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  ];
  if (report.error) {
    lines.push(`    <system-err>${xml(`${report.error.kind}: ${report.error.message}`)}</system-err>`);
  }
  for (const c of report.checks) {
    const open = `    <testcase classname="${xml(`${report.lab}.step${c.step}`)}" name="${xml(`${c.id}: ${c.title}`)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
    const figures = figuresShortText(c.figures, c.figuresOmitted);
    if (c.status === 'pass' && !figures) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (c.status !== 'pass') {
      const tag = c.status === 'fail' ? 'failure' : 'error';
      lines.push(`      <${tag} type="${c.status}" message="${xml(c.message.slice(0, 500))}">${xml(c.message)}</${tag}>`);
    }
    // What the check measured, as text: JUnit's place for a test's own output.
    if (figures) lines.push(`      <system-out>${xml(figures)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n');
}

/** Gradescope autograder results.json (https://gradescope-autograders.readthedocs.io, "Output format"). */
export function formatGradescope(report: Report): string {
  const tests = report.checks.map((c) => ({
    name: `Step ${c.step}: ${c.title}`,
    name_format: 'text',
    number: `${c.step}.${c.id}`,
    score: c.score,
    max_score: c.maxScore,
    status: c.status === 'pass' ? 'passed' : 'failed',
    output: [c.status === 'pass' ? '' : c.message, figuresShortText(c.figures, c.figuresOmitted)].filter(Boolean).join('\n\n'),
    output_format: 'text',
    visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
  }));
  return JSON.stringify(
    {
      score: report.score,
      execution_time: Math.round(report.durationMs / 1000),
      output: report.error ? `Could not grade (${report.error.kind}): ${report.error.message}` : `Graded by ${report.grader} (${report.engine} engine).`,
      output_format: 'text',
      visibility: 'visible',
      stdout_visibility: 'hidden',
      tests,
    },
    null,
    2,
  );
}

export function formatReport(report: Report, format: Format, options: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report);
    case 'gradescope':
      return formatGradescope(report);
    default:
      return formatText(report, options);
  }
}
