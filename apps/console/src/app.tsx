import { useEffect, useState } from 'preact/hooks';
import { isRoot, may } from './logic/permissions';
import { href, useRoute, type Route } from './router';
import { currentSession, onSessionChange, signOut, type Session } from './session';
import { AuditPage } from './pages/audit.page';
import { ExpiringPage } from './pages/expiring.page';
import { ProjectsPage } from './pages/projects.page';
import { SignInPage } from './pages/sign-in.page';
import { TokenDetailPage } from './pages/token-detail.page';
import { TokensPage } from './pages/tokens.page';
import { Notice } from './parts/status';

function useSession(): Session | null {
  const [session, setSession] = useState(currentSession());
  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  return session;
}

/** A page the token's scopes do not allow says so instead of showing an API 403. */
function Page({ route, session }: { route: Route; session: Session }) {
  const denied = (scope: string) => (
    <main>
      <Notice>This token lacks {scope} on this project.</Notice>
    </main>
  );
  switch (route.page) {
    case 'projects':
      return <ProjectsPage session={session} />;
    case 'tokens':
      return may(session, 'tokens:read', route.projectId) ? <TokensPage session={session} projectId={route.projectId} /> : denied('tokens:read');
    case 'token':
      return may(session, 'tokens:read', route.projectId) ? <TokenDetailPage projectId={route.projectId} tokenId={route.tokenId} /> : denied('tokens:read');
    case 'audit':
      return may(session, 'audit:read', route.projectId) ? <AuditPage projectId={route.projectId} /> : denied('audit:read');
    case 'expiring':
      return may(session, 'admin', route.projectId) ? <ExpiringPage projectId={route.projectId} /> : denied('admin');
    case 'not-found':
      return (
        <main>
          <Notice>No such page.</Notice>
        </main>
      );
  }
}

export function App() {
  const session = useSession();
  const route = useRoute();
  useTitle(route);
  if (!session) return <SignInPage />;
  const projectId = 'projectId' in route ? route.projectId : isRoot(session) ? null : session.projectId;
  return (
    <>
      {/* Not an #anchor: the hash is the route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href={href({ page: 'projects' })}>
          Token Ledger
        </a>
        <nav aria-label="main">
          <a href={href({ page: 'projects' })} aria-current={route.page === 'projects' ? 'page' : undefined}>
            Projects
          </a>
          {projectId && may(session, 'tokens:read', projectId) && (
            <a href={href({ page: 'tokens', projectId })} aria-current={route.page === 'tokens' ? 'page' : undefined}>
              Tokens
            </a>
          )}
          {projectId && may(session, 'audit:read', projectId) && (
            <a href={href({ page: 'audit', projectId })} aria-current={route.page === 'audit' ? 'page' : undefined}>
              Audit
            </a>
          )}
          {projectId && may(session, 'admin', projectId) && (
            <a href={href({ page: 'expiring', projectId })} aria-current={route.page === 'expiring' ? 'page' : undefined}>
              Expiring soon
            </a>
          )}
        </nav>
        <div class="who">
          <span class="mono" title={session.scopes.join(' ')}>
            {isRoot(session) ? 'root' : `${session.projectId}: ${session.scopes.join(' ') || 'no scopes'}`}
          </span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div id="content" tabIndex={-1}>
        <Page route={route} session={session} />
      </div>
    </>
  );
}

function useTitle(route: Route) {
  useEffect(() => {
    const where = 'projectId' in route ? ` · ${route.projectId}` : '';
    document.title = `${route.page}${where} · Token Ledger`;
  }, [route]);
}
