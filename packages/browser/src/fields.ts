import type { Properties } from './types';

export const IGNORE_ATTRIBUTE = 'data-tributary-ignore';
const MAX_VALUE_LENGTH = 256;
const MAX_TEXT_LENGTH = 100;

// Payment-card and secret-looking names; autocomplete `cc-*` covers the standard-conforming card forms.
const SENSITIVE_NAME = /card|cvc|cvv|ccnum|cc-?num|cc-?exp|cc-?csc|iban|ssn|passw|secret|token/i;

/** True when the element or one of its ancestors carries `data-tributary-ignore`. */
export function ignored(element: Element | null): boolean {
  return !!element?.closest(`[${IGNORE_ATTRIBUTE}]`);
}

/**
 * Whether a form control's value may leave the page: never for password, hidden or file inputs, payment-card
 * fields (autocomplete `cc-*`, or a name/id that looks like a card number, CVC or expiry), or anything under
 * `data-tributary-ignore`.
 */
export function capturable(control: Element): boolean {
  if (ignored(control)) {
    return false;
  }
  const type = (control.getAttribute('type') ?? '').toLowerCase();
  if (control.tagName === 'INPUT' && ['password', 'hidden', 'file'].includes(type)) {
    return false;
  }
  const autocomplete = (control.getAttribute('autocomplete') ?? '').toLowerCase();
  if (/(^|\s)cc-/.test(autocomplete) || autocomplete.includes('password')) {
    return false;
  }
  const names = `${control.getAttribute('name') ?? ''} ${control.id}`;
  return !SENSITIVE_NAME.test(names);
}

/** The submitted fields a form may report: name → value, sensitive controls left out entirely. */
export function formFields(form: HTMLFormElement): Properties {
  const fields: Properties = {};
  for (const control of Array.from(form.elements)) {
    const name = control.getAttribute('name');
    if (!name || !capturable(control) || !('value' in control)) {
      continue;
    }
    const input = control as HTMLInputElement;
    if ((input.type === 'checkbox' || input.type === 'radio') && !input.checked) {
      continue;
    }
    if (['submit', 'button', 'reset', 'image'].includes(input.type)) {
      continue;
    }
    fields[name] = String(input.value).slice(0, MAX_VALUE_LENGTH);
  }
  return fields;
}

/** Describes a clicked element without reading any field's value (a button's label is its text). */
export function describeElement(element: Element): Properties {
  const described: Properties = { tagName: element.tagName.toLowerCase() };
  if (element.id) {
    described.id = element.id;
  }
  const classes = element.getAttribute('class');
  if (classes) {
    described.classes = classes.trim().split(/\s+/).slice(0, 10);
  }
  const text = (element as HTMLElement).innerText ?? element.textContent ?? '';
  const label = element.tagName === 'INPUT' ? (element as HTMLInputElement).value : text;
  if (label.trim()) {
    described.text = label.trim().replace(/\s+/g, ' ').slice(0, MAX_TEXT_LENGTH);
  }
  const href = element.getAttribute('href');
  if (href) {
    described.href = (element as HTMLAnchorElement).href || href;
  }
  const name = element.getAttribute('name');
  if (name) {
    described.name = name;
  }
  return described;
}
