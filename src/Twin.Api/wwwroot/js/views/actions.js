// Actions view: inject a fault (after a confirmation) and repair active ones.
import { api, TARGET_HINTS } from '../api.js';
import { h, mount, fmt, confirmDialog, toast, errorBox, deviceLink } from '../render.js';
import * as live from '../live.js';

export async function render(main, params) {
  document.title = 'Actions · AI Factory Twin';
  const kinds = await faultKinds();
  const kindSelect = h('select', { id: 'fault-kind', name: 'kind', required: true },
    kinds.map((k) => h('option', { value: k.kind }, `${k.kind} (${k.target})`)));
  const about = h('span', { class: 'hint', id: 'fault-about' });
  const target = h('input', { id: 'fault-target', name: 'target', required: true, autocomplete: 'off', spellcheck: false, 'aria-describedby': 'fault-target-hint' });
  const targetHint = h('span', { class: 'hint', id: 'fault-target-hint' });
  const paramsInput = h('input', { id: 'fault-params', name: 'parameters', autocomplete: 'off', spellcheck: false, 'aria-describedby': 'fault-params-hint' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Inject fault…');
  const result = h('div', { role: 'status', 'aria-live': 'polite' });
  const activeBox = h('div', { id: 'active-faults' });

  function syncKind() {
    const k = kinds.find((x) => x.kind === kindSelect.value);
    about.textContent = k.about;
    const hint = TARGET_HINTS[k.target] ?? `a ${k.target}`;
    targetHint.textContent = `Target: ${hint}`;
    target.placeholder = hint.replace(/^.*e\.g\. /, '');
    paramsInput.value = Object.entries(k.params).map(([p, v]) => `${p}=${v}`).join(', ');
  }
  kindSelect.addEventListener('change', syncKind);
  if (params.kind && kinds.some((k) => k.kind === params.kind)) kindSelect.value = params.kind;
  else if (params.target) {
    // pick a kind that fits the target's device kind (east/link/... → link-down)
    const kindOfTarget = params.target.split('/')[1];
    const fit = kinds.find((k) => k.target === kindOfTarget);
    if (fit) kindSelect.value = fit.kind;
  }
  syncKind();
  target.value = params.target ?? '';

  const form = h('form', { class: 'stack panel', 'aria-labelledby': 'inject-h' },
    h('h2', { id: 'inject-h', style: { margin: 0 } }, 'Inject a fault'),
    h('label', { for: 'fault-kind' }, 'Kind', kindSelect, about),
    h('label', { for: 'fault-target' }, 'Target', target, targetHint),
    h('label', { for: 'fault-params' }, 'Parameters', paramsInput,
      h('span', { class: 'hint', id: 'fault-params-hint' }, 'name=value pairs separated by commas; leave empty for the defaults')),
    h('div', {}, submit),
    result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const parameters = parseParameters(paramsInput.value);
    if (parameters === null) {
      mount(result, h('p', { class: 'error', role: 'alert' }, 'Parameters must be name=value pairs separated by commas.'));
      paramsInput.focus();
      return;
    }
    const fault = { kind: kindSelect.value, target: target.value.trim(), parameters };
    const ok = await confirmDialog({
      title: 'Inject this fault?',
      body: h('div', {},
        h('p', {}, `${fault.kind} on `, h('strong', { class: 'mono' }, fault.target)),
        Object.keys(parameters).length ? h('p', { class: 'mono' }, Object.entries(parameters).map(([k, v]) => `${k}=${v}`).join(', ')) : null,
        h('p', { class: 'muted' }, 'The twin will mark the target and everything that depends on it; repair it here or on the device page.')),
      confirmLabel: 'Inject', danger: true,
    });
    if (!ok) return;
    try {
      const created = await api.injectFault(fault);
      mount(result, h('p', {}, `Injected ${created.kind} ${created.id} on `, deviceLinkOrText(created.target), created.affectedDevices ? ` (${fmt.int(countOf(created.affectedDevices))} devices affected)` : '', '.'));
      toast(`Fault ${created.id} injected.`);
      refresh();
    } catch (err) {
      mount(result, h('p', { class: 'error', role: 'alert' }, `The twin refused the fault: ${err.message}`));
    }
  });

  mount(main, h('h1', {}, 'Actions'), h('div', { class: 'grid-2' }, form,
    h('section', { 'aria-labelledby': 'active-h' }, h('h2', { id: 'active-h', style: { marginTop: 0 } }, 'Active faults'), activeBox)));

  let stopped = false;
  async function refresh() {
    try {
      const faults = await api.faults({ active: true });
      if (stopped) return;
      const items = faults.items ?? [];
      mount(activeBox, items.length
        ? h('table', { 'aria-label': 'active faults' },
          h('thead', {}, h('tr', {}, h('th', {}, 'fault'), h('th', {}, 'target'), h('th', {}, 'since'), h('th', {}, h('span', { class: 'sr-only' }, 'action')))),
          h('tbody', {}, items.map((f) => h('tr', { dataset: { fault: f.id } },
            h('td', {}, h('strong', {}, f.kind), h('div', { class: 'muted mono' }, f.id), f.summary ? h('div', { class: 'muted' }, f.summary) : null),
            h('td', {}, deviceLinkOrText(f.target)),
            h('td', {}, fmt.time(f.at)),
            h('td', {}, h('button', { type: 'button', class: 'danger', 'aria-label': `Repair ${f.kind} on ${f.target}`, onclick: () => repair(f) }, 'Repair'))))))
        : h('p', { class: 'muted' }, 'No active faults.'));
    } catch (e) {
      mount(activeBox, errorBox(e));
    }
  }

  async function repair(f) {
    const ok = await confirmDialog({ title: 'Repair this fault?', body: `Lift ${f.kind} ${f.id} on ${f.target}.`, confirmLabel: 'Repair', danger: true });
    if (!ok) return;
    try {
      await api.repairFault(f.id);
      toast(`Fault ${f.id} repaired.`);
    } catch (e) {
      toast(`Repair failed: ${e.message}`, { bad: true });
    }
    refresh();
  }

  await refresh();
  let pending = null;
  const unsubscribe = live.subscribe((added) => {
    if (added.some((e) => e.kind.startsWith('fault') || e.faultId)) pending ??= setTimeout(() => { pending = null; refresh(); }, 300);
  });
  return () => { stopped = true; clearTimeout(pending); unsubscribe(); };
}

function parseParameters(text) {
  const out = {};
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    // the twin reads parameters as strings (numbers are parsed invariantly on its side)
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function countOf(x) {
  return Array.isArray(x) ? x.length : Number(x) || 0;
}

function deviceLinkOrText(target) {
  return target && target.includes('/') ? deviceLink(target) : h('span', { class: 'mono' }, target ?? '');
}

/** The twin's fault catalogue (GET /faults/kinds): kind, target, what it does, example parameters. */
async function faultKinds() {
  const served = await api.faultKinds();
  return (served.items ?? []).map((k) => ({ kind: k.name, target: String(k.target).toLowerCase(), about: k.description ?? '', params: k.example ?? {} }));
}
