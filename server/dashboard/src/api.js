// The read API (docs/read-api.md) with the project read key. The key travels in the Authorization header only,
// never in a URL, so it never reaches a server log.
const storageKey = "feedback.readKey";

export function takeKeyFromLocation() {
  const match = location.hash.match(/(?:^#|&)key=([^&]+)/);
  if (match) {
    localStorage.setItem(storageKey, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search); // out of the address bar and history
  }
  return localStorage.getItem(storageKey);
}

export const saveKey = (key) => localStorage.setItem(storageKey, key);
export const forgetKey = () => localStorage.removeItem(storageKey);

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export async function get(path, params = {}) {
  return (await request(path, params)).json();
}

// A file from the read API saved by the browser: a plain link could not carry the key in a header.
export async function download(path, params, filename) {
  const blob = await (await request(path, params)).blob();
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

async function request(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.append(name, value);
  }
  const url = `../${path}${query.size ? "?" + query : ""}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${localStorage.getItem(storageKey)}` } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
    } catch { /* not JSON */ }
    throw new ApiError(response.status, detail);
  }
  return response;
}
