// How the journeys name things on the screen, the same in every engine:
// a query such as { role: 'button', name: 'Save' } or { label: 'Note (optional)' }
// is resolved by one self-contained function run in the page, so WebDriver
// classic (WebKit), WebDriver BiDi (Firefox) and CDP (Chromium) all find the
// same element. Strings match whole (whitespace collapsed); RegExps match anywhere.

/**
 * The query as it crosses into the page: RegExps become { re, flags },
 * strings { eq }. Fields: role, name, text, label, css, within, nth.
 */
export function encodeQuery(q) {
  const m = (v) => (v == null ? undefined : v instanceof RegExp ? { re: v.source, flags: v.flags } : { eq: String(v) });
  return {
    role: q.role,
    css: q.css,
    name: m(q.name),
    text: m(q.text),
    label: m(q.label),
    nth: q.nth ?? 0,
    within: q.within ? encodeQuery(q.within) : undefined,
  };
}

/** A query in words, for messages: `button "Save"`. */
export function describeQuery(q) {
  const parts = [q.role ?? (q.label ? 'field' : q.css ?? 'element')];
  if (q.name != null) parts.push(`"${q.name}"`);
  if (q.label != null) parts.push(`labelled "${q.label}"`);
  if (q.text != null) parts.push(`with text ${q.text}`);
  if (q.nth) parts.push(`#${q.nth}`);
  if (q.within) parts.push(`in ${describeQuery(q.within)}`);
  return parts.join(' ');
}

/**
 * Runs in the page. `mode` is 'element' (the match or null), 'count',
 * 'text' (innerText of the match or null) or 'value' (its form value).
 * Self-contained: drivers send it as source text.
 */
export function findInPage(q, mode) {
  const ROLES = {
    button: 'button, [role=button], input[type=button], input[type=submit]',
    img: '[role=img], img',
    status: '[role=status]',
    alert: '[role=alert]',
    heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
    listitem: 'li, [role=listitem]',
    row: 'tr, [role=row]',
    table: 'table, [role=table]',
    link: 'a[href], [role=link]',
    dialog: 'dialog, [role=dialog]',
    combobox: 'select',
    textbox: 'input, textarea',
  };
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (m, s) => m == null || (m.re != null ? new RegExp(m.re, m.flags).test(norm(s)) : norm(s) === m.eq);
  const visible = (e) => {
    if (!e.isConnected || e.getClientRects().length === 0) return false;
    const style = getComputedStyle(e);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  // A label's own words, without the text of the control inside it.
  const ownText = (label) =>
    [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(' ');
  const accessibleName = (e) => {
    if (e.hasAttribute('aria-label')) return e.getAttribute('aria-label');
    if (e.tagName === 'IMG') return e.getAttribute('alt') ?? '';
    if (e.labels && e.labels.length) return ownText(e.labels[0]);
    return e.innerText ?? e.textContent;
  };
  const all = (query) => {
    let roots = [document];
    if (query.within) {
      roots = all(query.within).slice(query.within.nth ?? 0, (query.within.nth ?? 0) + 1);
    }
    const found = [];
    for (const root of roots) {
      let els;
      if (query.label) {
        els = [...root.querySelectorAll('input, select, textarea')].filter(
          (e) =>
            (e.labels && [...e.labels].some((l) => matches(query.label, ownText(l)))) ||
            (e.hasAttribute('aria-label') && matches(query.label, e.getAttribute('aria-label'))),
        );
      } else {
        els = [...root.querySelectorAll(query.css ?? ROLES[query.role] ?? '*')];
      }
      for (const e of els) {
        if (visible(e) && matches(query.name, accessibleName(e)) && matches(query.text, e.innerText)) found.push(e);
      }
    }
    return found;
  };
  const list = all(q);
  if (mode === 'count') return list.length;
  const el = list[q.nth ?? 0] ?? null;
  if (mode === 'text') return el ? norm(el.innerText) : null;
  if (mode === 'value') return el ? el.value : null;
  return el;
}
