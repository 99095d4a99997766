// A small element builder: h("p", { class: "x", onclick: f }, "text", child).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

export const percent = (rate) => (rate === null || rate === undefined ? "–" : `${(rate * 100).toFixed(1)}%`);

export const time = (iso) => new Date(iso).toISOString().replace("T", " ").slice(0, 16);

export function message(container, text, kind = "note") {
  container.replaceChildren(h("p", { class: kind }, text));
}

export const loading = (container) => message(container, "Loading…", "loading");
