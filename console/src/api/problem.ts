/**
 * Errors of the API are RFC 9457 problem bodies (application/problem+json) with `title`, `detail` and `status`.
 * The text shown to a user is the detail, else the title, else the HTTP status.
 */
export function problemText(body: unknown, status: number): string {
  if (body !== null && typeof body === 'object') {
    const { detail, title } = body as { detail?: unknown; title?: unknown };
    if (typeof detail === 'string' && detail !== '') return detail;
    if (typeof title === 'string' && title !== '') return title;
  }
  if (typeof body === 'string' && body.trim() !== '' && !body.trimStart().startsWith('<')) {
    return body.trim().slice(0, 300);
  }
  return status === 0 ? 'The server cannot be reached' : `HTTP ${status}`;
}

/** The JSON path of the field at fault (`field` of a 400/422 problem, e.g. `tools[0].url`), if any. */
export function problemField(body: unknown): string | undefined {
  if (body !== null && typeof body === 'object') {
    const { field } = body as { field?: unknown };
    if (typeof field === 'string' && field !== '') return field;
  }
  return undefined;
}

/** The problem text of a response that is not OK (reads its body). */
export async function responseProblem(response: Response): Promise<string> {
  let body: unknown = null;
  try {
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } catch {
    // no body
  }
  return problemText(body, response.status);
}
