export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Small fetch wrapper for the signer server API in tests. */
export async function http<T = Record<string, unknown>>(
  url: string,
  init?: RequestInit & { json?: unknown },
): Promise<HttpResult<T>> {
  const response = await fetch(url, {
    ...init,
    ...(init?.json !== undefined && {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(init.json),
    }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (the HTML page)
  }
  return { status: response.status, body: body as T, headers: response.headers };
}
