/**
 * Calls `onChange` when a single-page app changes the URL: pushState and replaceState (wrapped, since they
 * fire no event) and popstate (back/forward). Only a change of path or query counts; a hash or a replace
 * with the same URL does not. The wrappers call the page's originals first and swallow only our errors.
 */
export function watchHistory(onChange: () => void): void {
  let last = currentUrl();
  const check = (): void => {
    try {
      const now = currentUrl();
      if (now !== last) {
        last = now;
        onChange();
      }
    } catch {
      // Never into the page.
    }
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History['pushState']>) => {
      const result = original(...args);
      check();
      return result;
    };
  }
  addEventListener('popstate', check);
}

function currentUrl(): string {
  return location.pathname + location.search;
}
