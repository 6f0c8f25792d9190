// The API key the page sends, when the twin asks for one. A twin bound to loopback without keys answers
// everything; one with keys answers 401 until the operator gives a key here. The key stays in this tab
// (sessionStorage), travels only in the Authorization header, and is never put in a URL.

const STORAGE = 'twin.apiKey';
let pending = null;

export function key() {
  try {
    return sessionStorage.getItem(STORAGE) ?? '';
  } catch {
    return '';
  }
}

function store(value) {
  try {
    if (value) sessionStorage.setItem(STORAGE, value);
    else sessionStorage.removeItem(STORAGE);
  } catch {
    // storage refused (private mode): the key lives until the page reloads
  }
  document.documentElement.dataset.auth = value ? 'key' : 'none';
}

/** Headers carrying the key, if there is one. */
export function headers() {
  const k = key();
  return k ? { Authorization: `Bearer ${k}` } : {};
}

export function forget() {
  store('');
}

/**
 * Asks the operator for a key (one dialog however many requests were refused at once) and resolves true
 * when one was given, false when the operator cancelled.
 */
export function requestKey(reason) {
  pending ??= new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'key-dialog';
    dialog.setAttribute('aria-labelledby', 'key-title');
    dialog.innerHTML = `
      <form method="dialog">
        <h2 id="key-title">API key needed</h2>
        <p class="muted"></p>
        <label>Key <input name="key" type="password" autocomplete="off" required></label>
        <menu><button value="cancel" type="button" data-cancel>Cancel</button><button value="ok" class="primary">Use key</button></menu>
      </form>`;
    dialog.querySelector('p').textContent = reason;
    const input = dialog.querySelector('input');
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      pending = null;
      if (value) store(value);
      resolve(Boolean(value));
    };
    dialog.querySelector('[data-cancel]').addEventListener('click', () => finish(''));
    dialog.addEventListener('cancel', () => finish(''));
    dialog.querySelector('form').addEventListener('submit', (e) => {
      e.preventDefault();
      finish(input.value.trim());
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return pending;
}

store(key());
