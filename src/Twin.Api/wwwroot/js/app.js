// Entry point: hash router (#/, #/site/east, #/device/<id>, #/events, #/actions) and the live status line.
import { mount, errorBox } from './render.js';
import * as live from './live.js';
import * as auth from './auth.js';
import * as factory from './views/factory.js';
import * as site from './views/site.js';
import * as device from './views/device.js';
import * as events from './views/events.js';
import * as actions from './views/actions.js';

const routes = [
  { pattern: /^\/?$/, view: factory, nav: 'factory', params: () => ({}) },
  { pattern: /^\/site\/([^/?]+)$/, view: site, nav: 'factory', params: (m) => ({ site: decodeURIComponent(m[1]) }) },
  // ids contain '/': the page links them percent-encoded, but a hand-typed raw id works too
  { pattern: /^\/device\/(.+)$/, view: device, nav: 'factory', params: (m) => ({ id: decodeURIComponent(m[1]) }) },
  { pattern: /^\/events$/, view: events, nav: 'events', params: () => ({}) },
  { pattern: /^\/actions$/, view: actions, nav: 'actions', params: () => ({}) },
];

const main = document.getElementById('view');
let cleanup = null;
let firstRoute = true;

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const query = Object.fromEntries(new URLSearchParams(search));
  for (const route of routes) {
    const m = path.match(route.pattern);
    if (m) return { route, params: { ...route.params(m), ...query } };
  }
  return null;
}

async function navigate() {
  cleanup?.();
  cleanup = null;
  const found = parse();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (found?.route.nav === a.dataset.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!found) {
    mount(main, errorBox(`no page at ${location.hash}`));
    return;
  }
  main.dataset.view = found.route.nav;
  try {
    cleanup = (await found.route.view.render(main, found.params)) ?? null;
  } catch (e) {
    mount(main, errorBox(e));
  }
  // move focus to the new content for keyboard and screen-reader users (not on first load)
  if (!firstRoute) main.focus({ preventScroll: false });
  firstRoute = false;
}

const statusEl = document.getElementById('live-status');
live.onStatus(({ state, text }) => {
  statusEl.dataset.state = state;
  statusEl.querySelector('.label').textContent = text;
});

document.getElementById('key-button').addEventListener('click', async () => {
  if (await auth.requestKey('The key this page sends with every request (reader role to look, operator to act).')) navigate();
});

window.addEventListener('hashchange', navigate);
live.start();
navigate();
