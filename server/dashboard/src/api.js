// The read API (docs/read-api.md) with the project read key, or a review key (which reads too, and may label
// follow-ups: docs/reviews.md). The key travels in the Authorization header only, never in a URL, so it never
// reaches a server log.
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

// A read key (fbr_) is refused by POST /v1/reviews; the page says so up front rather than after a 403.
export const keyIsReadOnly = () => (localStorage.getItem(storageKey) ?? "").startsWith("fbr_");

export class ApiError extends Error {
  constructor(status, detail, problem = null) {
    super(detail);
    this.status = status;
    this.problem = problem; // the ProblemDetails, with its extensions (the rejected reviews of POST /v1/reviews)
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

export async function post(path, body) {
  return (await request(path, {}, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } })).json();
}

async function request(path, params = {}, init = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.append(name, value);
  }
  const url = `../${path}${query.size ? "?" + query : ""}`;
  const response = await fetch(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${localStorage.getItem(storageKey)}` } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    let problem = null;
    try {
      problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
      // A model-binding 400 names its fields in errors rather than in detail.
      if (problem.errors) detail += ": " + Object.entries(problem.errors).map(([field, texts]) => `${field}: ${[].concat(texts).join(" ")}`).join("; ");
    } catch { /* not JSON */ }
    throw new ApiError(response.status, detail, problem);
  }
  return response;
}
