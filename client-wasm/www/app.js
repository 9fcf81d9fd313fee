// The reporter's page: glue between the form, the server API and the WASM client.
//
// Nothing cryptographic happens here. Tokens, sealing (meldingen and, piece by piece,
// attachments), signature checks, the proof of work and opening are done by
// meldpunt-client (Rust compiled to WebAssembly, ./pkg/, or where WebAssembly is off
// the same Rust compiled to JavaScript, ./pkg/js/; client.js loads one), which uses the
// same envelope code as the server and the coördinator's offline tool. This module only
// moves strings and bytes between the page, the client's exports and the network.

import { loadClient, partOfBuild, webAssemblyRuns } from './client.js';
import { STRINGS, chosenLanguage, translate } from './i18n.js';
import { VOCABULARY } from './vocabulary.js';
import { withWork } from './pow.js';

const $ = (id) => document.getElementById(id);

/** Attachments are read and sealed in pieces of this size (File.slice()). */
const PIECE = 1 << 20;
/** Ciphertext pieces are folded into one Blob every so many bytes. */
const FOLD = 16 << 20;

/** The server's /api/v1/config, once loaded (and checked against the pinned keys). */
let config = null;
/**
 * pkg/keys.json as loaded: the keys this page seals to and checks replies with, and the
 * hash of the page's build manifest. Its SHA-256 is the code hash the page shows, so one
 * value covers the code and the keys; a config that disagrees with it is refused.
 */
let pinned = null;
/** The bytes of pkg/keys.json, hashed for the code hash. */
let pinnedBytes = null;
/** The choices of the form, {soorten, over_wie, melders}, each [{code, label, label_en}]. */
const vocab = VOCABULARY;
/**
 * The WebAssembly client loads on the reporter's first interaction, not with the first
 * view: reading the page needs no cryptography, and on a slow Tor circuit the text
 * shows sooner. Every action that seals or opens awaits it.
 */
let wasmReady = null;
/** True once the module has loaded. */
let wasmLoaded = false;
/** Which build of the client runs: 'wasm', 'js' (WebAssembly is off), or null. */
let clientKind = null;
/** True when neither build of the client runs in this browser. */
let clientFailed = false;
/** The client's exports, from the build client.js loaded. */
let AttachmentSealer, clean_file, FileHash, new_token, open_reply, seal_melding, sha256_hex,
  pow_binding_lookup, pow_binding_submission, token_display, token_lookup_hash,
  token_lookup_key, verify_receipt;

function loadWasm() {
  wasmReady ??= loadClient().then(
    ({ client, kind }) => {
      ({
        AttachmentSealer, clean_file, FileHash, new_token, open_reply, seal_melding, sha256_hex,
        pow_binding_lookup, pow_binding_submission, token_display, token_lookup_hash,
        token_lookup_key, verify_receipt,
      } = client);
      clientKind = kind;
      wasmLoaded = true;
      $('js-versie').hidden = kind !== 'js';
      showCodeHash();
      return true;
    },
    (e) => {
      console.error(e);
      clientFailed = true;
      noEncryption();
      return false;
    },
  );
  return wasmReady;
}

/**
 * Neither build of the client runs here: says so, with a link to the form without
 * JavaScript (where the server seals), in place of anything that would wait for it.
 */
function noEncryption() {
  status(t('no_client'), 'fout');
  const link = document.createElement('a');
  link.href = lang === 'en' ? '/zonder-js?lang=en' : '/zonder-js';
  link.textContent = t('no_client_link');
  $('status').append(' ', link);
}

/** Awaits the module for an action, saying so while it is still on its way. */
function needWasm() {
  if (clientFailed) {
    noEncryption();
    return Promise.resolve(false);
  }
  if (!wasmLoaded) status(t('wasm_loading'), 'info');
  return loadWasm();
}
let lang = chosenLanguage(window.location);
/** True while a freshly shown token has not been confirmed as saved. */
let tokenPending = false;
/** What the token view offers for download: {token, organisation name, receipt JSON}. */
let shownToken = null;
/** The token of the case open in the reply view (for follow-ups). */
let caseToken = null;
/** That case's organisation (pinned entry) and whether it went to the bestuurder recipients. */
let caseRoute = null;
/**
 * A sealed submission whose answer has not come in: {fingerprint, token, url, headers,
 * body, lookupHash, sealedSha, attempted}. Until an answer is in, sending the same form
 * again resends these same bytes, which the server recognises (the same case and
 * ontvangstbewijs, never a second one); the token is kept with them.
 */
let unsent = null;
/** The submission under way, if any: {cancelled, xhr, sealer}. */
let current = null;
/** Files chosen per file input id. */
const chosen = { bijlagen: [], 'vervolg-bijlagen': [] };

const t = (key, vars) => translate(lang, key, vars);

// ---------------------------------------------------------------------------
// Language

/** Puts every text of the page in `lang` and keeps the choice in the address only. */
function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const other = lang === 'nl' ? 'en' : 'nl';
  const link = $('taal-wissel');
  // The link names the other language in that language.
  link.textContent = STRINGS[lang].switch_to;
  link.lang = other;
  link.hreflang = other;
  link.href = other === 'nl' ? '?lang=nl' : '?lang=en';
  if (config?.name) document.title = config.name;
  if (config) fillChoices();
  if (config) routeTexts();
  for (const id of Object.keys(chosen)) renderFiles(id);
}

function switchLanguage(event) {
  event.preventDefault();
  lang = lang === 'nl' ? 'en' : 'nl';
  const url = new URL(window.location.href);
  url.searchParams.set('lang', lang);
  url.hash = '';
  history.replaceState(null, '', url);
  applyLanguage();
  clearStatus();
  if (clientFailed) noEncryption();
}

// ---------------------------------------------------------------------------
// Status messages and field errors

/** Shows a message in the live region; `kind` is 'info', 'fout' (error) or 'ok'. */
function status(text, kind = 'info') {
  const el = $('status');
  el.textContent = text;
  el.className = `status status-${kind}`;
  el.hidden = !text;
  el.setAttribute('role', kind === 'fout' ? 'alert' : 'status');
  // An error must be seen, not only announced: bring it into view.
  if (kind === 'fout') el.scrollIntoView({ block: 'nearest' });
}

const clearStatus = () => status('');

/** Marks field `id` as wrong with `text`, tied to it by aria-describedby; '' clears it. */
function fieldError(id, text) {
  const field = $(id);
  const msg = $(`${id}-fout`);
  const described = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== msg.id);
  msg.textContent = text;
  msg.hidden = !text;
  if (text) {
    field.setAttribute('aria-invalid', 'true');
    described.unshift(msg.id);
  } else {
    field.removeAttribute('aria-invalid');
  }
  if (described.length) field.setAttribute('aria-describedby', described.join(' '));
  else field.removeAttribute('aria-describedby');
}

/** Shows every [id, text] error, a summary in the status, and focuses the first field. */
function formErrors(errors, summaryKey) {
  for (const [id, text] of errors) fieldError(id, text);
  status(t(summaryKey, { list: errors.map(([, text]) => text).join(' ') }), 'fout');
  $(errors[0][0]).focus();
}

// ---------------------------------------------------------------------------
// Views

const VIEWS = ['view-melding', 'view-token', 'view-reactie'];

function show(view) {
  for (const v of VIEWS) $(v).hidden = v !== view;
  for (const [nav, target] of [['nav-melding', 'view-melding'], ['nav-reactie', 'view-reactie']]) {
    if (view === target) $(nav).setAttribute('aria-current', 'page');
    else $(nav).removeAttribute('aria-current');
  }
}

function navigate(view) {
  if (tokenPending) {
    status(t('err_token_pending'), 'fout');
    $('token-bewaard').focus();
    return;
  }
  if (current) return;
  clearStatus();
  show(view);
  $(view === 'view-melding' ? 'titel-melding' : 'titel-reactie').focus();
}

// ---------------------------------------------------------------------------
// Helpers

/** Fills a <select> with {code, label} choices after its first (placeholder) option, keeping the choice. */
function fillSelect(select, choices) {
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const c of choices) {
    const opt = document.createElement('option');
    opt.value = c.code;
    opt.textContent = lang === 'en' && c.label_en ? c.label_en : c.label;
    select.append(opt);
  }
  select.value = keep;
}

function fillChoices() {
  const orgs = config.organisations.map((o) => ({ code: o.slug, label: o.name }));
  fillSelect($('organisatie'), orgs);
  fillSelect($('soort'), vocab.soorten);
  fillSelect($('over-wie'), vocab.over_wie);
  fillSelect($('melder'), vocab.melders);
}

function base64ToBytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** '2026-11-22' as '22 november 2026' (or 'November 22, 2026'). */
function formatDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day ?? '';
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

function formatSize(bytes) {
  const fmt = (n) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1000 * 1000) return t('size_kb', { n: fmt(Math.max(1, Math.round(bytes / 1000))) });
  return t('size_mb', { n: fmt(bytes / 1e6) });
}

/** The error code the WASM client put on a thrown Error, or 'internal'. */
const codeOf = (e) => (e && typeof e.code === 'string' ? e.code : 'internal');

/** Offers `text` as a file download, from memory (nothing goes to the server). */
function download(name, text, type = 'text/plain;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------------------
// Attachments

function renderFiles(id) {
  const list = $(`${id}-lijst`);
  list.replaceChildren();
  chosen[id].forEach((file, i) => {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'bijlage-naam';
    name.textContent = `${file.name} (${formatSize(file.size)})`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'knop-klein';
    remove.textContent = t('remove', { name: file.name });
    remove.addEventListener('click', () => {
      chosen[id].splice(i, 1);
      cleaning.delete(file);
      renderFiles(id);
      $(id).focus();
    });
    item.append(name, remove, cleaningReport(file, `${id}-${i}`));
    list.append(item);
  });
}

// ---------------------------------------------------------------------------
// Metadata removal (h15-clean): each chosen file is cleaned in the WASM
// (meldpunt-clean) as soon as it is added; only the cleaned bytes, or the original
// where the melder chose to keep it, are sealed.

/** Per chosen File: {pending, bytes, removed, couldNotCheck, keep}. */
const cleaning = new Map();

/** Starts cleaning a chosen file and shows the outcome when it is in. */
function startCleaning(id, file) {
  const entry = { pending: null, bytes: null, removed: [], couldNotCheck: null, keep: false };
  cleaning.set(file, entry);
  entry.pending = (async () => {
    if (!(await loadWasm())) {
      entry.couldNotCheck = 'unreadable';
      return;
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const r = clean_file(file.name, file.type, bytes);
      Object.assign(entry, { bytes: r.bytes, removed: r.removed, couldNotCheck: r.couldNotCheck });
    } catch (e) {
      console.error(e);
      entry.couldNotCheck = 'unreadable';
    }
  })().finally(() => {
    entry.pending = null;
    if (chosen[id].includes(file)) renderFiles(id);
  });
}

/** What the page says under a file: what was removed, or why it could not be checked. */
function cleaningReport(file, key) {
  const box = document.createElement('div');
  box.className = 'opgeschoond';
  const entry = cleaning.get(file);
  const say = (text) => {
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
    return p;
  };
  if (!entry || entry.pending) {
    say(t('clean_busy'));
    return box;
  }
  if (entry.couldNotCheck) {
    say(t('clean_not_checked', { reason: t(`clean_why_${entry.couldNotCheck}`) })).className = 'waarschuwing';
    say(t('clean_advice'));
    return box;
  }
  if (!entry.removed.length) {
    say(t('clean_nothing'));
    return box;
  }
  const what = entry.removed.map((code) => t(`meta_${code}`)).join(', ');
  say(t(entry.keep ? 'clean_kept' : 'clean_removed', { what }));
  const label = document.createElement('label');
  label.className = 'keuze';
  const box2 = document.createElement('input');
  box2.type = 'checkbox';
  box2.id = `origineel-${key}`;
  box2.checked = entry.keep;
  const hint = document.createElement('span');
  hint.className = 'hint';
  hint.id = `origineel-${key}-uitleg`;
  hint.textContent = t('clean_keep_hint');
  box2.setAttribute('aria-describedby', hint.id);
  box2.addEventListener('change', () => {
    entry.keep = box2.checked;
    const listId = key.slice(0, key.lastIndexOf('-'));
    renderFiles(listId);
    $(`origineel-${key}`)?.focus();
  });
  label.append(box2, ` ${t('clean_keep')}`);
  box.append(label, hint);
  return box;
}

/** The files to seal: the cleaned bytes of each (after cleaning is done), or the original where kept. */
async function filesToSeal(id) {
  for (const file of chosen[id]) if (!cleaning.has(file)) startCleaning(id, file);
  await Promise.all(chosen[id].map((f) => cleaning.get(f).pending));
  return chosen[id].map((file) => {
    const entry = cleaning.get(file);
    if (entry.keep || !entry.bytes) return file;
    return new File([entry.bytes], file.name, { type: file.type, lastModified: file.lastModified });
  });
}

function addFiles(id) {
  const input = $(id);
  const added = [...input.files];
  chosen[id].push(...added);
  input.value = '';
  fieldError(id, '');
  for (const file of added) startCleaning(id, file);
  renderFiles(id);
}

/**
 * Checks the chosen files against the limit as stated: the files' own bytes together,
 * to the byte (a file of exactly the limit passes). The meldpunt's padding and
 * framing are its own overhead (server/src/limit.rs). Returns [id, text] errors.
 */
function fileErrors(id) {
  const files = chosen[id];
  const empty = files.find((f) => f.size === 0);
  if (empty) return [[id, t('err_empty_file', { name: empty.name })]];
  const max = config.max_submission_bytes ?? 100_000_000;
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > max) return [[id, t('err_too_big_files', { max: formatSize(max) })]];
  return [];
}

class Cancelled extends Error {}

/**
 * Seals each file in pieces through the WASM AttachmentSealer: File.slice() pieces in,
 * ciphertext pieces out, folded into a Blob. So the page holds about two copies of a
 * file at most (the Blob being built and the pieces not yet folded), never the whole
 * file in WASM memory. Returns [{blob, ref: {name, type, size, sha256}}].
 */
async function sealFiles(files, recipients, job, onProgress) {
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  const out = [];
  for (const file of files) {
    const sealer = new AttachmentSealer(JSON.stringify(recipients), file.size);
    const hash = new FileHash();
    job.sealer = sealer;
    let blob = new Blob([]);
    let pieces = [];
    let pending = 0;
    try {
      for (let at = 0; at < file.size; at += PIECE) {
        let bytes;
        try {
          bytes = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
        } catch {
          throw Object.assign(new Error('read'), { code: 'file_read', file });
        }
        if (job.cancelled) throw new Cancelled();
        const ct = sealer.push(bytes);
        hash.update(bytes);
        pieces.push(ct);
        pending += ct.length;
        if (pending >= FOLD) {
          blob = new Blob([blob, ...pieces]);
          pieces = [];
          pending = 0;
        }
        done += bytes.length;
        onProgress(total ? done / total : 1);
      }
      pieces.push(sealer.finish());
      blob = new Blob([blob, ...pieces], { type: 'application/octet-stream' });
      out.push({ blob, ref: { name: file.name, type: file.type || 'application/octet-stream', size: file.size, sha256: hash.hex() } });
    } finally {
      sealer.free();
      hash.free();
      job.sealer = null;
    }
  }
  onProgress(1);
  return out;
}

/** POSTs with XMLHttpRequest for its upload progress; resolves {status, body, retryAfter}. */
function upload(url, headers, body, job, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    job.xhr = xhr;
    xhr.open('POST', url);
    xhr.withCredentials = false;
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    // The whole body is out: from here on the server may have stored it.
    xhr.upload.addEventListener('load', () => onProgress(1));
    xhr.addEventListener('load', () => {
      let parsed = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: the status alone says enough.
      }
      resolve({ status: xhr.status, body: parsed, retryAfter: Number(xhr.getResponseHeader('Retry-After')) || 0 });
    });
    xhr.addEventListener('error', () => reject(Object.assign(new Error('network'), { code: 'offline' })));
    xhr.addEventListener('abort', () => reject(new Cancelled()));
    xhr.send(body);
  });
}

// ---------------------------------------------------------------------------
// Routing by the case

/** The pinned entry of organisation `slug`, or undefined. */
const pinnedOrg = (slug) => pinned.organisations.find((o) => o.slug === slug);

/**
 * Where a melding or follow-up of organisation `org` goes: to its bestuurder recipients
 * when it is about a bestuurder and the organisation has them, else to its recipients.
 */
function routeOf(org, bestuurder) {
  const separate = bestuurder && org.bestuurder_recipients.length > 0;
  return { org, bestuurder: separate, recipients: separate ? org.bestuurder_recipients : org.recipients };
}

/** The texts that say where a melding or follow-up goes, in the current language. */
function routeTexts() {
  const org = pinnedOrg($('organisatie').value);
  const note = $('bestuurder-melding');
  // Choosing a bestuurder says where the melding goes and who reads it.
  const about = $('over-wie').value === 'bestuurder' && org;
  const separate = about && routeOf(org, true).bestuurder;
  note.textContent = about ? t(separate ? 'bestuurder_route' : 'bestuurder_no_route', { name: org.name }) : '';
  note.hidden = !about;
  const to = $('vervolg-naar');
  to.textContent = caseRoute ? t(caseRoute.bestuurder ? 'vervolg_to_bestuurder' : 'vervolg_to', { name: caseRoute.org.name }) : '';
}

/** Why the config and the pinned keys disagree, or null when they agree. */
function keysDisagree(cfg, keys) {
  const same = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (keys?.format !== 'meldpunt-keys' || keys.v !== 1 || !Array.isArray(keys.organisations)) return 'keys.json';
  if (cfg.signing_key !== keys.signing_key) return 'signing_key';
  if (cfg.name !== keys.name) return 'name';
  if (cfg.organisations.length !== keys.organisations.length) return 'organisations';
  for (const [i, o] of cfg.organisations.entries()) {
    const k = keys.organisations[i];
    if (o.slug !== k.slug || o.name !== k.name || !same(o.recipients, k.recipients) || !same(o.bestuurder_recipients, k.bestuurder_recipients)) {
      return `organisation ${o.slug}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Sending a melding or a follow-up

/** Seconds to wait before each further attempt; the last repeats. */
const RETRY_DELAYS = [1, 2, 4, 8, 15, 30];
/** Attempts before the page stops on its own (the submission stays ready to resend). */
const MAX_ATTEMPTS = 12;
/** Answers after which the same bytes are sent again: no answer, a timeout, busy, a server error. */
const transient = (status) => status === 0 || status === 408 || status === 429 || status >= 500;

/** Waits a second, or throws Cancelled once the reporter cancels. */
function tick(job) {
  return new Promise((resolve, reject) => {
    setTimeout(() => (job.cancelled ? reject(new Cancelled()) : resolve()), 1000);
  });
}

/**
 * Sends `p` until an answer other than a transient failure is in, with backoff and a
 * countdown in the status line; the same bytes each time, so the server stores them
 * once. Resolves the last response, or {status: 0, gaveUp: true} after MAX_ATTEMPTS.
 */
async function deliver(p, job, upBar) {
  for (let attempt = 1; ; attempt++) {
    status(attempt === 1 ? t('uploading') : t('resending', { n: attempt }));
    let resp = null;
    try {
      // A proof of work is accepted once, so every attempt solves afresh (in a worker,
      // pow.js), and again with more work when the meldpunt is busy.
      resp = await withWork({
        kind: 'submissions',
        binding: pow_binding_submission(p.lookupHash, p.sealedSha),
        job,
        onProgress: powProgress,
        attempt: (proof) => {
          if (job.cancelled) throw new Cancelled();
          const headers = proof ? { ...p.headers, 'Meldpunt-Pow': proof } : p.headers;
          status(attempt === 1 ? t('uploading') : t('resending', { n: attempt }));
          return upload(p.url, headers, p.body, job, (f) => {
            upBar.value = Math.round(f * 100);
            if (f >= 1) p.attempted = true;
          });
        },
      });
    } catch (e) {
      if (e instanceof Cancelled || job.cancelled) throw new Cancelled();
      // The work itself cannot run here (no WebAssembly in a worker): no use trying again.
      if (e.code === 'pow') return { status: 0, body: null, powFailed: true };
    }
    if (resp && !transient(resp.status)) return resp;
    if (attempt >= MAX_ATTEMPTS) return { status: resp?.status ?? 0, body: resp?.body ?? null, gaveUp: true };
    let wait = RETRY_DELAYS[Math.min(attempt - 1, RETRY_DELAYS.length - 1)];
    if (resp?.retryAfter > 0) wait = Math.min(Math.max(wait, resp.retryAfter), 60);
    for (let left = wait; left > 0; left--) {
      status(t('retry_wait', { s: left, n: attempt + 1 }), 'info');
      await tick(job);
    }
    upBar.value = 0;
  }
}

/**
 * Seals the attachments and the message, solves the proof of work if the server asks
 * for one, and sends it all. `kind` is 'melding' or 'vervolg'. Resolves with the
 * server's 201 body and what the receipt check needs, or null after a shown error.
 */
async function send({ kind, fields, route, token, fileInput }) {
  const job = { cancelled: false, xhr: null, sealer: null };
  current = job;
  const org = route.org;
  const files = await filesToSeal(fileInput);
  const fingerprint = JSON.stringify([kind, kind === 'vervolg' ? token : '', fields, route.recipients,
    files.map((f) => [f.name, f.size, f.lastModified])]);
  // The same form sent again while an earlier send has no answer: the same bytes again.
  let prepared = unsent?.fingerprint === fingerprint ? unsent : null;
  if (prepared) token = prepared.token;
  else if (!token) {
    try {
      token = new_token();
    } catch (e) {
      console.error(e);
      status(t('err_seal'), 'fout');
      current = null;
      return null;
    }
  }
  const lookupHash = token_lookup_hash(token);
  const progress = $('voortgang');
  const sealBar = $('voortgang-versleutelen');
  const upBar = $('voortgang-versturen');
  sealBar.value = 0;
  upBar.value = 0;
  // The progress box sits in the view that is sending.
  (kind === 'melding' ? $('melding-form') : $('vervolg-form')).after(progress);
  progress.hidden = false;
  status(t('sealing'));
  try {
    if (!prepared) prepared = await prepare();
    if (!prepared) return null;
    sealBar.value = 100;
    unsent = prepared;
    const resp = await deliver(prepared, job, upBar);
    upBar.value = 100;
    if ((resp.status === 201 || resp.status === 200) && resp.body) {
      unsent = null;
      return { answer: resp.body, lookupHash, sealedSha: prepared.sealedSha, token };
    }
    if (resp.powFailed) {
      status(t('err_pow'), 'fout');
      return null;
    }
    if (resp.gaveUp) {
      status(t('err_gave_up'), 'fout');
      return null;
    }
    // Refused: nothing was stored, and these bytes will not be taken later either.
    unsent = null;
    if (kind === 'vervolg' && resp.status === 404) status(t('not_found'), 'fout');
    else if (resp.status === 413) status(t('err_413'), 'fout');
    else if (resp.body?.error === 'organisation_mismatch') status(t('err_case_route'), 'fout');
    else status(t('err_refused', { code: resp.body?.error || resp.status }), 'fout');
    return null;
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status(unsent?.attempted ? t('cancelled_kept') : t('cancelled'), 'info');
    return null;
  } finally {
    progress.hidden = true;
    current = null;
  }

  /** Seals the files and the message and makes the request; null after a shown error. */
  async function prepare() {
    let sealedFiles;
    try {
      sealedFiles = await sealFiles(files, route.recipients, job, (f) => (sealBar.value = Math.round(f * 100)));
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      console.error(e);
      status(e.code === 'file_read' ? t('err_file_read', { name: e.file.name }) : t('err_seal'), 'fout');
      return null;
    }
    let sealed;
    try {
      const all = { kind, ...fields, attachments: sealedFiles.map((s) => s.ref) };
      sealed = seal_melding(JSON.stringify(all), JSON.stringify(route.recipients), token);
    } catch (e) {
      console.error(e);
      const code = codeOf(e);
      status(code === 'too_large' || (code === 'invalid_melding' && /too long/.test(e.message)) ? t('err_too_long') : t('err_seal'), 'fout');
      return null;
    }
    const sealedSha = sha256_hex(sealed);
    const headers = {};
    headers['Meldpunt-Organisatie'] = org.slug;
    if (kind === 'melding') {
      headers['Meldpunt-Lookup-Hash'] = lookupHash;
      if (route.bestuurder) headers['Meldpunt-Route'] = 'bestuurder';
    } else {
      headers['Meldpunt-Lookup-Key'] = token_lookup_key(token);
      headers['Meldpunt-Route'] = route.bestuurder ? 'bestuurder' : 'standaard';
    }
    headers['Meldpunt-Melding-Sha256'] = sealedSha;
    if (job.cancelled) throw new Cancelled();
    let body;
    if (sealedFiles.length === 0) {
      headers['Content-Type'] = 'application/octet-stream';
      body = sealed;
    } else {
      // The browser sets the multipart Content-Type with its boundary.
      body = new FormData();
      body.append('melding', new Blob([sealed], { type: 'application/octet-stream' }), 'melding.age');
      sealedFiles.forEach((s, i) => body.append('bijlage', s.blob, `bijlage-${i + 1}.age`));
    }
    const url = kind === 'melding' ? '/api/v1/meldingen' : '/api/v1/vervolg';
    return { fingerprint, token, url, headers, body, lookupHash, sealedSha, attempted: false };
  }
}

/** The proof of work's progress line (pow.js calls it a few times a second at most). */
function powProgress(fraction, busy) {
  status(t(busy ? 'pow_busy' : 'pow_progress', { pct: Math.round(fraction * 100) }));
}

function cancel() {
  if (!current) return;
  current.cancelled = true;
  current.xhr?.abort();
}

async function submitMelding(event) {
  event.preventDefault();
  const button = $('verstuur');
  if (button.disabled || current) return;

  const slug = $('organisatie').value;
  const soort = $('soort').value;
  const text = $('tekst').value;
  for (const id of ['organisatie', 'soort', 'tekst', 'bijlagen']) fieldError(id, '');
  const errors = [];
  if (!slug) errors.push(['organisatie', t('err_organisatie')]);
  if (!soort) errors.push(['soort', t('err_soort')]);
  if (!text.trim()) errors.push(['tekst', t('err_tekst')]);
  errors.push(...fileErrors('bijlagen'));
  if (errors.length > 0) return formErrors(errors, 'err_not_sent');
  const org = pinnedOrg(slug);

  button.disabled = true;
  try {
    if (!(await needWasm())) return;
    const fields = { organisatie: slug, soort, text };
    const optional = {
      wanneer_waar: $('wanneer-waar').value,
      over_wie: $('over-wie').value,
      melder: $('melder').value,
      contact: $('contact').value,
    };
    for (const [k, v] of Object.entries(optional)) if (v.trim()) fields[k] = v;
    const route = routeOf(org, fields.over_wie === 'bestuurder');
    const sent = await send({ kind: 'melding', fields, route, token: null, fileInput: 'bijlagen' });
    if (sent) showToken(sent.token, route, sent);
  } finally {
    button.disabled = false;
  }
}

function showToken(token, { org, bestuurder }, { answer, lookupHash, sealedSha }) {
  tokenPending = true;
  shownToken = { token, orgName: org.name, receipt: null };
  // One inline-block per group so a line only breaks between groups; the element's
  // textContent stays exactly the token.
  const groups = token.split('-').map((g, i, all) => {
    const span = document.createElement('span');
    span.className = 'token-groep';
    span.textContent = i < all.length - 1 ? `${g}-` : g;
    return span;
  });
  $('token').replaceChildren(...groups);
  const received = answer.received ? t('received_on', { day: formatDay(answer.received) }) : '';
  $('ontvangen').textContent = bestuurder ? `${received} ${t('sent_bestuurder', { name: org.name })}`.trim() : received;
  let receiptOk = false;
  if (answer.ontvangstbewijs && config.receipt_key) {
    try {
      shownToken.receipt = verify_receipt(JSON.stringify(answer.ontvangstbewijs), config.receipt_key, lookupHash, sealedSha);
      receiptOk = true;
    } catch (e) {
      console.error(codeOf(e), e.message);
    }
  }
  $('bewijs-blok').hidden = false;
  $('bewijs-tekst').textContent = receiptOk ? t('receipt_ok', { day: formatDay(answer.received) }) : t('receipt_bad');
  $('bewijs-tekst').className = receiptOk ? '' : 'fout-tekst';
  $('bewijs-download').hidden = !receiptOk;
  $('token-bewaard').checked = false;
  $('token-klaar').disabled = true;
  $('melding-form').reset();
  chosen.bijlagen = [];
  renderFiles('bijlagen');
  preselectOrganisation();
  routeTexts();
  clearStatus();
  show('view-token');
  $('nav-melding').disabled = true;
  $('nav-reactie').disabled = true;
  $('titel-token').focus();
}

/** With a single organisation there is nothing to choose. */
function preselectOrganisation() {
  if (config.organisations.length === 1) {
    $('organisatie').value = config.organisations[0].slug;
  }
}

function tokenSaved() {
  const saved = $('token-bewaard').checked;
  tokenPending = !saved;
  $('token-klaar').disabled = !saved;
  $('nav-melding').disabled = !saved;
  $('nav-reactie').disabled = !saved;
  if (saved) clearStatus();
}

function tokenDone() {
  if (tokenPending) return;
  $('token').textContent = '';
  $('ontvangen').textContent = '';
  $('bewijs-blok').hidden = true;
  shownToken = null;
  show('view-melding');
  status(t('thanks'), 'ok');
  $('titel-melding').focus();
}

async function copyToken() {
  const token = $('token').textContent;
  try {
    await navigator.clipboard.writeText(token);
    status(t('copied'), 'ok');
  } catch {
    // No clipboard (an insecure context, or refused): select it so it can be copied by hand.
    const range = document.createRange();
    range.selectNodeContents($('token'));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    status(t('copy_failed'), 'info');
  }
}

function downloadToken() {
  if (!shownToken) return;
  download('meldpunt-token.txt', t('token_file', { name: shownToken.orgName, token: shownToken.token }));
}

/** The lines around the signed data in a receipt file (as server/src/receipt_file.rs). */
const RECEIPT_BEGIN = '-----BEGIN MELDPUNT ONTVANGSTBEWIJS-----';
const RECEIPT_END = '-----END MELDPUNT ONTVANGSTBEWIJS-----';

/**
 * The ontvangstbewijs as a text file its holder can read: what it proves, the
 * organisation, the day, the item and the case, how to check it, and the signed JSON
 * unchanged between two marker lines. Returns [file name, text].
 */
function receiptFile(signedJson, orgName) {
  const r = JSON.parse(signedJson).ontvangstbewijs;
  const text = [
    t('receipt_file_title', { name: config.name }),
    '',
    t('receipt_file_proves'),
    '',
    `${t('receipt_file_organisation')}: ${orgName}`,
    `${t('receipt_file_received')}: ${r.received}`,
    `${t('receipt_file_item')}: ${r.id}`,
    `${t('receipt_file_case')}: ${r.lookup_hash}`,
    '',
    t('receipt_file_verify'),
    '',
    RECEIPT_BEGIN,
    signedJson,
    RECEIPT_END,
    '',
  ].join('\n');
  return [`ontvangstbewijs-${r.received}-${r.id.slice(0, 8)}.txt`, text];
}

function downloadReceipt() {
  if (!shownToken?.receipt) return;
  const [name, text] = receiptFile(shownToken.receipt, shownToken.orgName);
  download(name, text);
}

// ---------------------------------------------------------------------------
// Reactie bekijken and follow-ups

async function viewReplies(event) {
  event.preventDefault();
  const button = $('bekijk');
  if (button.disabled) return;
  const list = $('reacties');
  const refused = $('reactie-fout');
  list.replaceChildren();
  refused.hidden = true;
  refused.replaceChildren();
  $('vervolg-form').hidden = true;
  caseToken = null;
  caseRoute = null;
  fieldError('token-invoer', '');
  if (!(await needWasm())) return;

  let token, lookupKey;
  try {
    token = token_display($('token-invoer').value);
    lookupKey = token_lookup_key(token);
  } catch {
    const text = $('token-invoer').value.trim() ? t('token_bad') : t('token_empty');
    fieldError('token-invoer', text);
    status(text, 'fout');
    $('token-invoer').focus();
    return;
  }

  button.disabled = true;
  status(t('fetching'));
  try {
    let resp;
    try {
      const body = JSON.stringify({ lookup_key: lookupKey });
      resp = await withWork({
        kind: 'lookups',
        binding: pow_binding_lookup(new TextEncoder().encode(body)),
        onProgress: powProgress,
        attempt: (proof) => fetch('/api/v1/reacties', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(proof ? { 'Meldpunt-Pow': proof } : {}) },
          body,
          cache: 'no-store',
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
        }),
      });
    } catch (e) {
      console.error(e);
      status(t(e.code === 'pow' ? 'err_pow' : 'err_offline_view'), 'fout');
      return;
    }
    if (resp.status === 404) return status(t('not_found'), 'fout');
    if (resp.status === 429) return status(t('err_429_view'), 'fout');
    if (!resp.ok) return status(t('err_5xx_view'), 'fout');
    let reacties, answer;
    try {
      answer = await resp.json();
      reacties = answer.reacties;
      if (!Array.isArray(reacties)) throw new Error('no list');
    } catch {
      return status(t('unreadable_answer'), 'fout');
    }
    showReplies(token, reacties);
    // Follow-ups go where the case is: its organisation and, for a case about a
    // bestuurder, the bestuurder recipients. The reporter is not asked.
    const org = pinnedOrg(answer.organisatie);
    if (!org) return status(t('case_org_unknown'), 'fout');
    caseToken = token;
    caseRoute = routeOf(org, answer.bestuurder === true);
    routeTexts();
    $('vervolg-form').hidden = false;
  } finally {
    button.disabled = false;
  }
}

function showReplies(token, reacties) {
  const list = $('reacties');
  const refusedBox = $('reactie-fout');
  let refused = 0;
  let unreadable = 0;
  for (const r of reacties) {
    let reply;
    try {
      reply = JSON.parse(open_reply(config.signing_key, token, base64ToBytes(r.ciphertext), base64ToBytes(r.signature)));
    } catch (e) {
      // Verification comes first inside open_reply: on bad_signature nothing was opened.
      if (codeOf(e) === 'bad_signature' || e instanceof DOMException) refused++;
      else unreadable++;
      console.error(codeOf(e), e.message);
      continue;
    }
    const item = document.createElement('article');
    item.className = 'reactie';
    const day = document.createElement('h2');
    day.className = 'reactie-dag';
    day.textContent = t('reply_from', { day: formatDay(reply.day) });
    const text = document.createElement('p');
    text.className = 'reactie-tekst';
    text.textContent = reply.text;
    item.append(day, text);
    list.append(item);
  }

  const problems = [];
  if (refused > 0) problems.push(refused === 1 ? t('refused_one') : t('refused_many', { n: refused }));
  if (unreadable > 0) problems.push(unreadable === 1 ? t('unreadable_one') : t('unreadable_many', { n: unreadable }));
  for (const p of problems) {
    const el = document.createElement('p');
    el.textContent = p;
    refusedBox.append(el);
  }
  refusedBox.hidden = problems.length === 0;

  const shown = list.children.length;
  if (reacties.length === 0) status(t('no_replies'), 'info');
  else if (shown > 0) status(shown === 1 ? t('one_reply') : t('n_replies', { n: shown }), 'ok');
  else clearStatus();
}

async function submitVervolg(event) {
  event.preventDefault();
  const button = $('vervolg-verstuur');
  if (button.disabled || current || !caseToken || !caseRoute) return;
  const text = $('vervolg-tekst').value;
  for (const id of ['vervolg-tekst', 'vervolg-bijlagen']) fieldError(id, '');
  const errors = [];
  if (!text.trim()) errors.push(['vervolg-tekst', t('err_vervolg_tekst')]);
  errors.push(...fileErrors('vervolg-bijlagen').map(([, msg]) => ['vervolg-bijlagen', msg]));
  if (errors.length > 0) return formErrors(errors, 'err_msg_not_sent');
  button.disabled = true;
  try {
    if (!(await needWasm())) return;
    const fields = { organisatie: caseRoute.org.slug, text };
    const sent = await send({ kind: 'vervolg', fields, route: caseRoute, token: caseToken, fileInput: 'vervolg-bijlagen' });
    if (sent) {
      $('vervolg-tekst').value = '';
      chosen['vervolg-bijlagen'] = [];
      renderFiles('vervolg-bijlagen');
      status(t('vervolg_sent'), 'ok');
    }
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------
// The code hash

/**
 * Hashes the page's files as this browser fetches them, compares them with
 * pkg/manifest.json, checks that pkg/keys.json names that manifest, and shows the
 * SHA-256 of pkg/keys.json: one code hash over the code and the keys, which the
 * municipality publishes on its own website (docs/OPERATIONS.md).
 */
async function showCodeHash() {
  // Without JIT the client's SHA-256 runs interpreted (seconds for the JavaScript
  // build's own 4 MiB, blocking the page): there the browser's native one hashes.
  const hex = async (bytes) => {
    if (clientKind !== 'js' || !crypto.subtle) return sha256_hex(bytes);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  };
  try {
    const get = async (path) => new Uint8Array(await (await fetch(path, { credentials: 'omit' })).arrayBuffer());
    const manifestBytes = await get('pkg/manifest.json');
    const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
    let ok = true;
    for (const [path, hash] of Object.entries(manifest.files)) {
      // The other build's files are covered by the code hash but never run here.
      if (!partOfBuild(path, clientKind)) continue;
      if ((await hex(await get(path))) !== hash) ok = false;
    }
    if (pinned.page !== (await hex(manifestBytes))) ok = false;
    $('code-hash').textContent = await hex(pinnedBytes);
    $('code-controle').dataset.i18n = ok ? 'code_ok' : 'code_bad';
    $('code-controle').textContent = t(ok ? 'code_ok' : 'code_bad');
    $('code-controle').className = ok ? '' : 'fout-tekst';
    $('code-blok').hidden = false;
  } catch (e) {
    console.error('code hash', e);
  }
}

// ---------------------------------------------------------------------------
// Start

function startFailed(key) {
  $('laden').hidden = true;
  status(t(key), 'fout');
}

async function start() {
  $('taal-wissel').addEventListener('click', switchLanguage);
  applyLanguage();
  $('laden').hidden = false;
  try {
    const [resp, keysResp] = await Promise.all([
      fetch('/api/v1/config', { cache: 'no-store', credentials: 'omit' }),
      fetch('pkg/keys.json', { cache: 'no-store', credentials: 'omit' }),
    ]);
    if (!resp.ok) throw new Error(`status ${resp.status}`);
    config = await resp.json();
    if (!Array.isArray(config.organisations) || typeof config.signing_key !== 'string') throw new Error('bad config');
    if (!keysResp.ok) throw new Error(`keys.json: status ${keysResp.status}`);
    pinnedBytes = new Uint8Array(await keysResp.arrayBuffer());
    pinned = JSON.parse(new TextDecoder().decode(pinnedBytes));
  } catch (e) {
    console.error(e);
    startFailed('unreachable');
    return;
  }
  // Keys from the config that the code hash does not cover are never used.
  const disagree = keysDisagree(config, pinned);
  if (disagree) {
    console.error(`the config disagrees with pkg/keys.json: ${disagree}`);
    config = null;
    startFailed('keys_mismatch');
    return;
  }

  if (config.name) {
    $('meldpunt-naam').textContent = config.name;
    document.title = config.name;
  }
  fillChoices();
  preselectOrganisation();

  $('melding-form').addEventListener('submit', submitMelding);
  $('reactie-form').addEventListener('submit', viewReplies);
  $('vervolg-form').addEventListener('submit', submitVervolg);
  $('nav-melding').addEventListener('click', () => navigate('view-melding'));
  $('nav-reactie').addEventListener('click', () => navigate('view-reactie'));
  $('token-bewaard').addEventListener('change', tokenSaved);
  $('token-klaar').addEventListener('click', tokenDone);
  $('token-kopieer').addEventListener('click', copyToken);
  $('token-download').addEventListener('click', downloadToken);
  $('token-print').addEventListener('click', () => window.print());
  $('bewijs-download').addEventListener('click', downloadReceipt);
  $('annuleer').addEventListener('click', cancel);
  $('organisatie').addEventListener('change', routeTexts);
  $('over-wie').addEventListener('change', routeTexts);
  for (const id of Object.keys(chosen)) $(id).addEventListener('change', () => addFiles(id));
  window.addEventListener('beforeunload', (event) => {
    if (tokenPending || current || unsent?.attempted) event.preventDefault();
  });

  $('laden').hidden = true;
  $('navigatie').hidden = false;
  show(window.location.hash === '#reactie' ? 'view-reactie' : 'view-melding');
  if (!webAssemblyRuns()) {
    // WebAssembly is off: load the JavaScript build now, so that a browser that runs
    // neither hears so at once, not after its first click.
    loadWasm();
    return;
  }
  for (const type of ['focusin', 'pointerdown', 'keydown']) {
    document.addEventListener(type, loadWasm, { once: true, passive: true });
  }
}

start();
