import { useState } from 'preact/hooks';
import { getJson } from '../api';
import type { ProjectSummary } from '../api-types';
import { isRoot, may } from '../logic/permissions';
import { href } from '../router';
import type { Session } from '../session';
import { Notice } from '../parts/status';
import { useLoad } from '../parts/use-load';

/** The start page: every project the token may see, with its tokens counted by status. */
export function ProjectsPage({ session }: { session: Session }) {
  const projects = useLoad(() => getJson<{ items: ProjectSummary[] }>('/v1/projects'), []);
  return (
    <main>
      <h1>Projects</h1>
      {projects.error && <Notice>{projects.error}</Notice>}
      {projects.error && !isRoot(session) && (
        <p>
          Your project: <a href={href({ page: may(session, 'audit:read') ? 'audit' : 'tokens', projectId: session.projectId })}>{session.projectId}</a>
        </p>
      )}
      {projects.data && projects.data.items.length === 0 && <Notice kind="info">No projects yet: a project exists once it has a token.</Notice>}
      {projects.data && projects.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Active</th>
                <th scope="col">Revoked</th>
                <th scope="col">Expired</th>
                <th scope="col">Total</th>
                <th scope="col">Pages</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.items.map((p) => (
                <tr key={p.projectId}>
                  <th scope="row">
                    <a href={href({ page: 'tokens', projectId: p.projectId })}>{p.projectId}</a>
                  </th>
                  <td>{p.tokens.active}</td>
                  <td>{p.tokens.revoked}</td>
                  <td>{p.tokens.expired}</td>
                  <td>{p.tokens.total}</td>
                  <td>
                    <div class="links">
                      <a href={href({ page: 'tokens', projectId: p.projectId })}>Tokens</a>
                      {may(session, 'audit:read', p.projectId) && <a href={href({ page: 'audit', projectId: p.projectId })}>Audit</a>}
                      {may(session, 'admin', p.projectId) && <a href={href({ page: 'expiring', projectId: p.projectId })}>Expiring</a>}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {session.type === 'root' && <OpenProject />}
    </main>
  );
}

const PROJECT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Root only: a project exists once it has a token, so a new one starts on its (empty) tokens page. */
function OpenProject() {
  const [id, setId] = useState('');
  const valid = PROJECT_ID.test(id);
  return (
    <form
      class="row card"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) location.hash = href({ page: 'tokens', projectId: id });
      }}
    >
      <label class="grow">
        Open or start a project (id: a-z, 0-9, -)
        <input name="projectId" value={id} pattern="[a-z0-9][a-z0-9\-]{0,62}" onInput={(e) => setId(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled={!valid}>
        Open project
      </button>
    </form>
  );
}
