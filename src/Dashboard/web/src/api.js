// The HTTP API, as the page calls it: same-origin cookies, the X-Requested-With header the server asks of a cookie
// session's changes (cross-site request protection), and the server's {"error": ...} as the thrown message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  if (!response.ok) throw new ApiError(response.status, json?.error ?? `${method} ${path}: HTTP ${response.status}`);
  return json;
}

export const runPath = (id) => `/api/runs/${encodeURIComponent(id)}`;

export const campaignPath = (id) => `/api/campaigns/${encodeURIComponent(id)}`;
