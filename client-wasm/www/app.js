// The reporter's page: glue between the form, the server API and the WASM client.
//
// Nothing cryptographic happens here. Tokens, sealing, signature checks and opening
// are done by meldpunt-client (Rust compiled to WebAssembly, ./pkg/), which uses the
// same envelope code as the server and the coördinator's offline tool. This module
// only moves strings and bytes between the page, the WASM exports and fetch().

import init, {
  new_token,
  open_reply,
  seal_melding,
  token_display,
  token_lookup_hash,
  token_lookup_key,
  vocabulary,
} from './pkg/meldpunt_client.js';

const $ = (id) => document.getElementById(id);

/** The server's /api/v1/config, once loaded. */
let config = null;
/** True while a freshly shown token has not been confirmed as saved. */
let tokenPending = false;

// ---------------------------------------------------------------------------
// Status messages

/** Shows a message in the live region; `kind` is 'info', 'fout' (error) or 'ok'. */
function status(text, kind = 'info') {
  const el = $('status');
  el.textContent = text;
  el.className = `status status-${kind}`;
  el.hidden = !text;
  // An error must be seen, not only announced: bring it into view.
  if (kind === 'fout') el.scrollIntoView({ block: 'nearest' });
}

const clearStatus = () => status('');

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
    status('Vink eerst aan dat u uw token heeft bewaard. Zonder token kunt u later geen reactie lezen.', 'fout');
    $('token-bewaard').focus();
    return;
  }
  clearStatus();
  show(view);
}

// ---------------------------------------------------------------------------
// Helpers

/** Fills a <select> with {code, label} choices, keeping its first (placeholder) option. */
function fillSelect(select, choices) {
  for (const c of choices) {
    const opt = document.createElement('option');
    opt.value = c.code;
    opt.textContent = c.label;
    select.append(opt);
  }
}

function base64ToBytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** '2026-11-22' as '22 november 2026'. */
function formatDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day ?? '';
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The error code the WASM client put on a thrown Error, or 'internal'. */
const codeOf = (e) => (e && typeof e.code === 'string' ? e.code : 'internal');

/** Reads the server's JSON error body, if any: {error, message}. */
async function serverError(resp) {
  try {
    const body = await resp.json();
    return typeof body.error === 'string' ? body.error : '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------
// Melding maken

/** With a single organisation there is nothing to choose. */
function preselectOrganisation() {
  if (config.organisations.length === 1) $('organisatie').value = config.organisations[0].slug;
}

async function submitMelding(event) {
  event.preventDefault();
  const button = $('verstuur');
  if (button.disabled) return;

  const slug = $('organisatie').value;
  const soort = $('soort').value;
  const text = $('tekst').value;
  const missing = [];
  if (!slug) missing.push(['organisatie', 'kies de organisatie']);
  if (!soort) missing.push(['soort', 'kies waar uw melding over gaat']);
  if (!text.trim()) missing.push(['tekst', 'beschrijf wat er is gebeurd']);
  for (const id of ['organisatie', 'soort', 'tekst']) $(id).removeAttribute('aria-invalid');
  if (missing.length > 0) {
    for (const [id] of missing) $(id).setAttribute('aria-invalid', 'true');
    const list = missing.map(([, what]) => what).join(', ');
    status(`Uw melding is nog niet verstuurd: ${list}.`, 'fout');
    $(missing[0][0]).focus();
    return;
  }
  const org = config.organisations.find((o) => o.slug === slug);

  button.disabled = true;
  status('Uw melding wordt versleuteld en verstuurd…');
  try {
    let token, sealed, lookupHash;
    try {
      token = new_token();
      lookupHash = token_lookup_hash(token);
      const fields = { organisatie: slug, soort, text };
      const optional = { wanneer_waar: $('wanneer-waar').value, over_wie: $('over-wie').value, melder: $('melder').value };
      for (const [k, v] of Object.entries(optional)) if (v.trim()) fields[k] = v;
      sealed = seal_melding(JSON.stringify(fields), JSON.stringify(org.recipients), token);
    } catch (e) {
      console.error(e);
      const code = codeOf(e);
      if (code === 'too_large' || (code === 'invalid_melding' && /too long/.test(e.message))) {
        status('Uw tekst is te lang om in één keer te versturen. Maak hem korter en probeer het opnieuw.', 'fout');
      } else {
        status('Uw melding kon niet worden versleuteld, en is dus niet verstuurd. Laad de pagina opnieuw en probeer het nog eens.', 'fout');
      }
      return;
    }

    let resp;
    try {
      resp = await fetch('/api/v1/meldingen', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/octet-stream',
          'Meldpunt-Organisatie': slug,
          'Meldpunt-Lookup-Hash': lookupHash,
        },
        body: sealed,
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      console.error(e);
      status('Er is geen verbinding met het meldpunt. Uw melding is niet verstuurd. Uw tekst staat nog in het formulier; probeer het zo opnieuw.', 'fout');
      return;
    }

    if (resp.status === 201) {
      let received = '';
      try {
        received = (await resp.json()).received;
      } catch {
        // Stored all the same: a 201 comes only after the melding is committed.
      }
      showToken(token, received);
      return;
    }
    const code = await serverError(resp);
    if (resp.status === 413) {
      status('Uw melding is te groot om te versturen. Maak de tekst korter en probeer het opnieuw.', 'fout');
    } else if (resp.status === 429) {
      status('Er worden op dit moment te veel meldingen verstuurd. Uw melding is niet verstuurd. Wacht een paar minuten en probeer het opnieuw; uw tekst blijft in het formulier staan.', 'fout');
    } else if (resp.status >= 500) {
      status('Er ging iets mis bij het meldpunt. Uw melding is niet opgeslagen. Uw tekst staat nog in het formulier; probeer het over een paar minuten opnieuw.', 'fout');
    } else {
      status(`Het meldpunt heeft uw melding niet aangenomen (${code || resp.status}). Laad de pagina opnieuw en probeer het nog eens.`, 'fout');
    }
  } finally {
    button.disabled = false;
  }
}

function showToken(token, received) {
  tokenPending = true;
  // One inline-block per group so a line only breaks between groups; the element's
  // textContent stays exactly the token.
  const groups = token.split('-').map((g, i, all) => {
    const span = document.createElement('span');
    span.className = 'token-groep';
    span.textContent = i < all.length - 1 ? `${g}-` : g;
    return span;
  });
  $('token').replaceChildren(...groups);
  $('ontvangen').textContent = received ? `Ontvangen op ${formatDay(received)}.` : '';
  $('token-bewaard').checked = false;
  $('token-klaar').disabled = true;
  $('melding-form').reset();
  preselectOrganisation();
  clearStatus();
  show('view-token');
  $('nav-melding').disabled = true;
  $('nav-reactie').disabled = true;
  $('titel-token').focus();
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
  show('view-melding');
  status('Dank u wel voor uw melding.', 'ok');
}

async function copyToken() {
  const token = $('token').textContent;
  try {
    await navigator.clipboard.writeText(token);
    status('Het token is gekopieerd. Plak het op een veilige plek.', 'ok');
  } catch {
    // No clipboard (an insecure context, or refused): select it so it can be copied by hand.
    const range = document.createRange();
    range.selectNodeContents($('token'));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    status('Kopiëren lukte niet automatisch. Het token is geselecteerd: kopieer het zelf, of schrijf het over.', 'info');
  }
}

// ---------------------------------------------------------------------------
// Reactie bekijken

async function viewReplies(event) {
  event.preventDefault();
  const button = $('bekijk');
  if (button.disabled) return;
  const list = $('reacties');
  const refused = $('reactie-fout');
  list.replaceChildren();
  refused.hidden = true;
  refused.replaceChildren();
  $('token-invoer').removeAttribute('aria-invalid');

  let token, lookupKey;
  try {
    token = token_display($('token-invoer').value);
    lookupKey = token_lookup_key(token);
  } catch (e) {
    $('token-invoer').setAttribute('aria-invalid', 'true');
    status(
      $('token-invoer').value.trim()
        ? 'Dit token klopt niet. Een token heeft 32 tekens, in acht groepen van vier. Controleer of u het goed heeft overgenomen.'
        : 'Vul uw token in.',
      'fout',
    );
    $('token-invoer').focus();
    return;
  }

  button.disabled = true;
  status('Reacties worden opgehaald…');
  try {
    let resp;
    try {
      resp = await fetch('/api/v1/reacties', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ lookup_key: lookupKey }),
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      console.error(e);
      status('Er is geen verbinding met het meldpunt. Probeer het zo opnieuw.', 'fout');
      return;
    }
    if (resp.status === 404) {
      status('Geen melding gevonden bij dit token. Controleer of u het token goed heeft overgenomen. Een melding die net is verstuurd, is meteen te vinden.', 'fout');
      return;
    }
    if (resp.status === 429) {
      status('Er wordt op dit moment te vaak gekeken. Wacht een paar minuten en probeer het opnieuw.', 'fout');
      return;
    }
    if (!resp.ok) {
      status('Er ging iets mis bij het meldpunt. Probeer het over een paar minuten opnieuw.', 'fout');
      return;
    }
    let reacties;
    try {
      reacties = (await resp.json()).reacties;
      if (!Array.isArray(reacties)) throw new Error('no list');
    } catch {
      status('Het antwoord van het meldpunt was onleesbaar. Probeer het over een paar minuten opnieuw.', 'fout');
      return;
    }
    showReplies(token, reacties);
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
    day.textContent = `Reactie van ${formatDay(reply.day)}`;
    const text = document.createElement('p');
    text.className = 'reactie-tekst';
    text.textContent = reply.text;
    item.append(day, text);
    list.append(item);
  }

  const problems = [];
  if (refused > 0) {
    problems.push(
      (refused === 1 ? 'Eén reactie is geweigerd' : `${refused} reacties zijn geweigerd`) +
        ': er is niet vast te stellen dat zij van het meldpunt komt, of zij is onderweg veranderd. ' +
        'Daarom tonen we de inhoud niet. Blijft dit gebeuren, laat het dan aan de integriteitscoördinator weten.',
    );
  }
  if (unreadable > 0) {
    problems.push(
      (unreadable === 1 ? 'Eén reactie kon niet worden geopend' : `${unreadable} reacties konden niet worden geopend`) +
        '. Zij is wel door het meldpunt ondertekend, maar lijkt beschadigd of niet voor dit token bedoeld.',
    );
  }
  for (const p of problems) {
    const el = document.createElement('p');
    el.textContent = p;
    refusedBox.append(el);
  }
  refusedBox.hidden = problems.length === 0;

  const shown = list.children.length;
  if (reacties.length === 0) {
    status(
      'Er is nog geen reactie op uw melding. Het meldpunt bevestigt binnen 7 dagen dat uw melding is ontvangen, ' +
        'en laat u binnen 3 maanden weten wat ermee gebeurt. Kijk later nog eens.',
      'info',
    );
  } else if (shown > 0) {
    status(shown === 1 ? 'Er is 1 reactie op uw melding.' : `Er zijn ${shown} reacties op uw melding.`, 'ok');
  } else {
    clearStatus();
  }
}

// ---------------------------------------------------------------------------
// Start

function startFailed(text) {
  $('laden').hidden = true;
  status(text, 'fout');
}

async function start() {
  try {
    await init();
  } catch (e) {
    console.error(e);
    startFailed(
      'Deze browser kan de versleuteling niet uitvoeren: WebAssembly staat uit of wordt niet ondersteund. ' +
        'Gebruikt u Tor Browser, zet dan het beveiligingsniveau op ‘Standaard’ en laad de pagina opnieuw.',
    );
    return;
  }

  try {
    const resp = await fetch('/api/v1/config', { cache: 'no-store', credentials: 'omit' });
    if (!resp.ok) throw new Error(`status ${resp.status}`);
    config = await resp.json();
    if (!Array.isArray(config.organisations) || typeof config.signing_key !== 'string') throw new Error('bad config');
  } catch (e) {
    console.error(e);
    startFailed('Het meldpunt is op dit moment niet bereikbaar. Probeer het later opnieuw.');
    return;
  }

  if (config.name) {
    $('meldpunt-naam').textContent = config.name;
    document.title = config.name;
  }
  const vocab = JSON.parse(vocabulary());
  fillSelect($('organisatie'), config.organisations.map((o) => ({ code: o.slug, label: o.name })));
  preselectOrganisation();
  fillSelect($('soort'), vocab.soorten);
  fillSelect($('over-wie'), vocab.over_wie);
  fillSelect($('melder'), vocab.melders);

  $('melding-form').addEventListener('submit', submitMelding);
  $('reactie-form').addEventListener('submit', viewReplies);
  $('nav-melding').addEventListener('click', () => navigate('view-melding'));
  $('nav-reactie').addEventListener('click', () => navigate('view-reactie'));
  $('token-bewaard').addEventListener('change', tokenSaved);
  $('token-klaar').addEventListener('click', tokenDone);
  $('token-kopieer').addEventListener('click', copyToken);
  window.addEventListener('beforeunload', (event) => {
    if (tokenPending) event.preventDefault();
  });

  $('laden').hidden = true;
  $('navigatie').hidden = false;
  show('view-melding');
}

start();
