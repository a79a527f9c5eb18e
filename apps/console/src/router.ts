import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/projects/shop/tokens`): the server serves one index.html, and nothing after `#`
 * is ever sent to it or put in a Referer. Routes carry ids only, never a token value.
 */
export type Route =
  | { page: 'projects' }
  | { page: 'tokens'; projectId: string }
  | { page: 'token'; projectId: string; tokenId: string }
  | { page: 'audit'; projectId: string }
  | { page: 'expiring'; projectId: string }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'projects' };
  if (parts[0] !== 'projects') return { page: 'not-found' };
  if (parts.length === 1) return { page: 'projects' };
  const projectId = parts[1];
  if (parts.length === 3 && parts[2] === 'tokens') return { page: 'tokens', projectId };
  if (parts.length === 4 && parts[2] === 'tokens') return { page: 'token', projectId, tokenId: parts[3] };
  if (parts.length === 3 && parts[2] === 'audit') return { page: 'audit', projectId };
  if (parts.length === 3 && parts[2] === 'expiring') return { page: 'expiring', projectId };
  return { page: 'not-found' };
}

export function href(route: Route): string {
  const p = (id: string) => encodeURIComponent(id);
  switch (route.page) {
    case 'projects':
    case 'not-found':
      return '#/projects';
    case 'tokens':
      return `#/projects/${p(route.projectId)}/tokens`;
    case 'token':
      return `#/projects/${p(route.projectId)}/tokens/${p(route.tokenId)}`;
    case 'audit':
      return `#/projects/${p(route.projectId)}/audit`;
    case 'expiring':
      return `#/projects/${p(route.projectId)}/expiring`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
