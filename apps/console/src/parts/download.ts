import { request } from '../api';

/**
 * Exports need the Authorization header, so they cannot be plain links (the token would have to
 * go into the URL): fetch, then hand the browser the body as a local blob to save.
 */
export async function download(path: string, fileName: string): Promise<void> {
  const blob = await (await request('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
