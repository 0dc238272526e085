import { describeElement, formFields, ignored } from './fields';
import type { Properties } from './types';

type Track = (event: string, properties: Properties) => void;

// What counts as a click worth recording: links, buttons and elements that say they are clickable.
const CLICKABLE =
  'a, button, input[type="button"], input[type="submit"], input[type="reset"], [role="button"], [data-tributary-click]';

/**
 * Listens in the capture phase on the document, so a page that stops propagation or throws in its own
 * handlers still gets its clicks and submits recorded; each listener is guarded so the SDK never throws
 * into the page's event dispatch. Returns a function that removes the listeners.
 */
export function installAutocapture(settings: { clicks: boolean; formSubmits: boolean }, track: Track): () => void {
  const onClick = (event: Event): void => {
    try {
      const start = event.target instanceof Element ? event.target : null;
      const element = start?.closest(CLICKABLE);
      if (!element || ignored(element) || (element as HTMLInputElement).type === 'password') {
        return;
      }
      track('Element Clicked', { ...describeElement(element), path: location.pathname });
    } catch {
      // Never into the page.
    }
  };
  const onSubmit = (event: Event): void => {
    try {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || ignored(form)) {
        return;
      }
      track('Form Submitted', {
        formId: form.id || undefined,
        formName: form.getAttribute('name') ?? undefined,
        action: form.action,
        method: (form.getAttribute('method') ?? 'get').toLowerCase(),
        fields: formFields(form),
        path: location.pathname,
      });
    } catch {
      // Never into the page.
    }
  };
  if (settings.clicks) {
    document.addEventListener('click', onClick, true);
  }
  if (settings.formSubmits) {
    document.addEventListener('submit', onSubmit, true);
  }
  return () => {
    document.removeEventListener('click', onClick, true);
    document.removeEventListener('submit', onSubmit, true);
  };
}
