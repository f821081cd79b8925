import { useCallback, useSyncExternalStore } from 'react';
import { SCREENS, type RoutePath } from './screens';

export type { RoutePath };
// Hash routes (#/order?id=…): the API serves one index.html at `/` and has no fallback for deep
// paths, so the route lives after the `#`.
export const ROUTES: readonly RoutePath[] = SCREENS.map((s) => s.path);

export interface Route {
  path: RoutePath;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', query = ''] = raw.split('?', 2);
  const path = (ROUTES as readonly string[]).includes(pathPart) ? (pathPart as RoutePath) : '/';
  return { path, params: new URLSearchParams(query) };
}

export function href(path: RoutePath, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#${path}${query ? `?${query}` : ''}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
  };
}

export function useRoute(): [Route, (path: RoutePath, params?: Record<string, string>) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const navigate = useCallback((path: RoutePath, params?: Record<string, string>) => {
    window.location.hash = href(path, params);
  }, []);
  return [parseHash(hash), navigate];
}
