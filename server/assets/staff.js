// The staff page's behaviour (served by meldpunt-server as /assets/staff.js).
// The staff token lives only in the password field; it is sent as a bearer token
// to the staff API and never stored by the browser.

const $ = (id) => document.getElementById(id);
const result = $('result');

// The page's texts come from the server's catalogue (server/i18n/*/meldpunt-server.ftl),
// rendered into the page in its language with {name} markers for the values.
const texts = JSON.parse(result.dataset.texts);
const fill = (key, vars = {}) => texts[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));
const T = {
  noToken: fill('noToken'),
  noFile: fill('noFile'),
  busy: fill('busy'),
  exported: (n, name) => fill('exported', { n, name }),
  imported: (i, s) => fill('imported', { new: i, known: s }),
  confirmed: (d, u) => fill('confirmed', { deleted: d, unknown: u }),
  setAside: (n) => ` ${fill('setAside', { n })}`,
  failed: (status, msg) => fill('failed', { status, message: msg }),
  network: fill('network'),
};

function show(text, kind) {
  result.textContent = text;
  result.className = `result ${kind}`;
}

function token() {
  const t = $('token').value.trim();
  if (!t) {
    show(T.noToken, 'error');
    return null;
  }
  return t;
}

async function failure(resp) {
  let msg = resp.statusText;
  try {
    const body = await resp.json();
    msg = `${body.error}: ${body.message}`;
  } catch {
    // Not JSON: keep the status text.
  }
  show(T.failed(resp.status, msg), 'error');
}

async function call(path, init) {
  const t = token();
  if (!t) return null;
  show(T.busy, '');
  try {
    const headers = { ...(init.headers || {}), Authorization: `Bearer ${t}` };
    const resp = await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'omit' });
    if (!resp.ok) {
      await failure(resp);
      return null;
    }
    return resp;
  } catch {
    show(T.network, 'error');
    return null;
  }
}

$('token-form').addEventListener('submit', (e) => e.preventDefault());

$('export').addEventListener('click', async () => {
  const resp = await call('/api/v1/staff/export', { method: 'GET' });
  if (!resp) return;
  const blob = await resp.blob();
  const cd = resp.headers.get('content-disposition') || '';
  const m = /filename="([^"]+)"/.exec(cd);
  const name = m ? m[1] : 'meldpunt-inbox.tar';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  show(T.exported(blob.size, name), 'ok');
});

function chosen(id) {
  const f = $(id).files[0];
  if (!f) show(T.noFile, 'error');
  return f;
}

$('upload-replies').addEventListener('click', async () => {
  const f = chosen('replies-file');
  if (!f) return;
  const resp = await call('/api/v1/staff/reacties', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-tar' },
    body: f,
  });
  if (!resp) return;
  const v = await resp.json();
  show(T.imported(v.imported, v.skipped), 'ok');
});

$('upload-confirm').addEventListener('click', async () => {
  const f = chosen('confirm-file');
  if (!f) return;
  const resp = await call('/api/v1/staff/bevestiging', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: f,
  });
  if (!resp) return;
  const v = await resp.json();
  // `set_aside` is missing in answers of servers from before it existed.
  const aside = Number.isInteger(v.set_aside) && v.set_aside > 0 ? T.setAside(v.set_aside) : '';
  show(T.confirmed(v.deleted, v.unknown) + aside, 'ok');
});
