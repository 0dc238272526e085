import type { Properties } from './types';

export const LIBRARY = { name: '@tributary/browser', version: '0.1.0' };

/** The page as it is now, in Segment's `context.page` / `page` properties shape. */
export function pageProperties(): Properties {
  return {
    path: location.pathname,
    referrer: document.referrer,
    search: location.search,
    title: document.title,
    url: location.href,
  };
}

/** What every event says about the browser; read at call time, so SPA navigations show. */
export function browserContext(): Properties {
  let timezone: string | undefined;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timezone = undefined;
  }
  return {
    library: LIBRARY,
    page: pageProperties(),
    userAgent: navigator.userAgent,
    locale: navigator.language,
    screen: { width: screen.width, height: screen.height },
    timezone,
  };
}
