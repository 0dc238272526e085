// The cron expressions a sync schedule accepts: five fields in UTC (minute hour day-of-month month
// day-of-week), numbers, names, `*`, lists, ranges and steps, plus @hourly/@daily/@weekly/@monthly/@yearly.
// Temporal parses them again; reading them here first lets a typo answer with what to fix (and gives the
// gap between runs, the schedule's catch-up window).

export class CronError extends Error {}

export interface Cron {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const RULES: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in most crons.
  { name: 'day-of-week', min: 0, max: 7, names: DAYS },
];

const SHAPE = 'write five fields in UTC: minute hour day-of-month month day-of-week, e.g. "0 */6 * * *"';

/** Reads a cron expression; throws CronError with a message saying what to fix. */
export function parseCron(expression: string): Cron {
  const trimmed = expression.trim();
  const text = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (text.startsWith('@')) {
    throw new CronError(
      `"${trimmed}" is not a cron macro we accept (use @hourly, @daily, @weekly, @monthly or @yearly, or intervalMinutes)`,
    );
  }
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    throw new CronError(`cron "${trimmed}" has ${parts.length} fields; ${SHAPE}`);
  }
  const [minutes, hours, dom, months, dow] = parts.map((part, i) => readField(part, RULES[i]));
  if (parts[2] !== '*' && parts[4] !== '*') {
    // Unix cron runs when either matches, Temporal's calendar when both do: refuse rather than surprise.
    throw new CronError(
      `cron "${trimmed}" restricts both day-of-month and day-of-week, which crons read differently; restrict only one (use * for the other)`,
    );
  }
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    daysOfMonth: dom,
    months,
    daysOfWeek: new Set([...dow].map((d) => d % 7)),
  };
}

function readField(text: string, rule: FieldRule): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') {
      throw fieldError(text, rule);
    }
    const step = stepText === undefined ? 1 : readNumber(stepText, rule, text);
    if (step < 1) {
      throw new CronError(`cron ${rule.name} field "${text}": a step must be at least 1`);
    }
    const [from, to] = bounds(range, stepText !== undefined, rule, text);
    for (let v = from; v <= to; v += step) {
      values.add(v);
    }
  }
  return values;
}

function bounds(range: string, stepped: boolean, rule: FieldRule, text: string): [number, number] {
  if (range === '*') {
    return [rule.min, rule.max];
  }
  const [a, b, extra] = range.split('-');
  if (extra !== undefined) {
    throw fieldError(text, rule);
  }
  const from = readValue(a, rule, text);
  // "5/15" means from 5 to the end, every 15.
  const to = b === undefined ? (stepped ? rule.max : from) : readValue(b, rule, text);
  if (to < from) {
    throw new CronError(
      `cron ${rule.name} field "${text}": the range ${range} runs backwards; write the smaller value first`,
    );
  }
  return [from, to];
}

function readValue(token: string, rule: FieldRule, text: string): number {
  const byName = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  if (byName >= 0) {
    return rule.name === 'month' ? byName + 1 : byName;
  }
  const value = readNumber(token, rule, text);
  if (value < rule.min || value > rule.max) {
    throw new CronError(`cron ${rule.name} field "${text}": ${value} is outside ${rule.min}-${rule.max}`);
  }
  return value;
}

function readNumber(token: string, rule: FieldRule, text: string): number {
  if (!/^\d{1,4}$/.test(token)) {
    throw fieldError(text, rule);
  }
  return Number(token);
}

function fieldError(text: string, rule: FieldRule): CronError {
  const names = rule.names ? ` or names (${rule.names[0]}-${rule.names.at(-1)})` : '';
  return new CronError(
    `cron ${rule.name} field "${text}" is not understood; use *, numbers ${rule.min}-${rule.max}${names}, lists (1,5), ranges (1-5) and steps (*/15)`,
  );
}

const DAY_MS = 86_400_000;
// Long enough to find runs of any valid expression (29 February comes within 8 years).
const SEARCH_DAYS = 8 * 366;

/** The next `count` run times strictly after `after` (UTC); fewer when the expression runs that rarely. */
export function nextRuns(cron: Cron, after: Date, count: number): Date[] {
  const runs: Date[] = [];
  const firstDay = Math.floor(after.getTime() / DAY_MS) * DAY_MS;
  for (let day = firstDay; day < firstDay + SEARCH_DAYS * DAY_MS && runs.length < count; day += DAY_MS) {
    const date = new Date(day);
    const dayMatches =
      cron.months.has(date.getUTCMonth() + 1) &&
      cron.daysOfMonth.has(date.getUTCDate()) &&
      cron.daysOfWeek.has(date.getUTCDay());
    if (!dayMatches) {
      continue;
    }
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const at = day + hour * 3_600_000 + minute * 60_000;
        if (at > after.getTime() && runs.length < count) {
          runs.push(new Date(at));
        }
      }
    }
  }
  return runs;
}

/** The shortest gap between consecutive runs over the next runs (one "interval" of a cron schedule). */
export function shortestGapMs(cron: Cron, from: Date, sample = 400): number | null {
  const runs = nextRuns(cron, from, sample);
  let gap: number | null = null;
  for (let i = 1; i < runs.length; i++) {
    const d = runs[i].getTime() - runs[i - 1].getTime();
    gap = gap === null ? d : Math.min(gap, d);
  }
  return gap;
}
