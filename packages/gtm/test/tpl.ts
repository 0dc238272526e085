import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** One `___TESTS___` scenario, as GTM's template editor stores it. */
export interface Scenario {
  name: string;
  code: string;
}

/** A parsed .tpl: GTM's section format (`___NAME___` lines, then the section's text). */
export interface Template {
  sections: Record<string, string>;
  info: { type: string; containerContexts: string[]; displayName: string };
  parameters: { name: string; type: string; subParams?: { name: string }[] }[];
  code: string;
  permissions: unknown[];
  scenarios: Scenario[];
  setup: string;
}

export const TEMPLATE_PATH = join(__dirname, '..', 'tributary.tpl');

export function parseTemplate(text: string): Template {
  const sections: Record<string, string> = {};
  const parts = text.split(/^___([A-Z_]+)___$/m);
  for (let i = 1; i < parts.length; i += 2) {
    sections[parts[i]] = parts[i + 1].trim();
  }
  const tests = parseYaml(sections.TESTS ?? 'scenarios: []') as { scenarios?: Scenario[]; setup?: string };
  return {
    sections,
    info: JSON.parse(sections.INFO) as Template['info'],
    parameters: JSON.parse(sections.TEMPLATE_PARAMETERS) as Template['parameters'],
    code: sections.SANDBOXED_JS_FOR_WEB_TEMPLATE,
    permissions: JSON.parse(sections.WEB_PERMISSIONS) as unknown[],
    scenarios: tests.scenarios ?? [],
    setup: tests.setup ?? '',
  };
}

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}
