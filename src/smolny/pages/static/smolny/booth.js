// The voting booth's page logic: credential, encrypt, Benaloh cast-or-audit, cast, receipt.
//
// All cryptography is smolny/booth-crypto.js (byte-identical to the Python package); this file
// only wires it to the page.  The credential's secret seed stays in this browser's
// localStorage (and in the file the voter may download); only its public key is sent.

import {
  credentialPublicKey,
  encryptBallot,
  fromHex,
  loadElection,
  openAudit,
  toHex,
} from 'smolny/booth-crypto.js';

const data = JSON.parse(document.getElementById('booth-data').textContent);
const storeKey = `smolny-credential:${data.member}`;
const $ = (id) => document.getElementById(id);
const csrf = () => (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || '';
let pending = null;
let seq = data.seq;

function fail(message) {
  const box = $('booth-error');
  box.textContent = message;
  box.hidden = false;
}

function clearError() {
  $('booth-error').hidden = true;
}

async function command(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf() },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const why = answer.detail || answer.title || `the server answered ${response.status}`;
    throw new Error(typeof why === 'string' ? why : JSON.stringify(why));
  }
  return answer;
}

function storedSeed() {
  const hex = localStorage.getItem(storeKey);
  return hex ? fromHex(hex, 32) : null;
}

function offerDownload(seed) {
  const doc = { public_key: credentialPublicKey(seed), seed: toHex(seed), type: 'smolny-voter-credential' };
  const link = $('download-credential');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(doc)], { type: 'application/json' }));
  link.hidden = false;
}

async function register(seed) {
  const publicKey = credentialPublicKey(seed);
  await command(data.register_url, { public_key: publicKey });
  localStorage.setItem(storeKey, toHex(seed));
  $('credential-status').textContent =
    `Your credential ${publicKey.slice(0, 16)}… is registered; its secret is kept in this browser.`;
  offerDownload(seed);
}

const make = $('make-credential');
if (make) {
  make.addEventListener('click', async () => {
    clearError();
    try {
      await register(crypto.getRandomValues(new Uint8Array(32)));
    } catch (error) {
      fail(`Your credential was not registered: ${error.message}`);
    }
  });
  const seed = storedSeed();
  if (seed && credentialPublicKey(seed) === data.registered) offerDownload(seed);
  else if (data.registered && data.on_roll) {
    // Registered from another device (or another browser profile): say so before she marks
    // her ballot, not after.  A new credential now would not be on this ballot's frozen roll.
    $('credential-status').textContent +=
      ' This browser does not hold its secret: choose your credential file below to vote from ' +
      'here (a new credential would not be on this ballot\'s roll).';
  }
}

const importer = $('import-credential');
if (importer) {
  importer.addEventListener('change', async () => {
    clearError();
    try {
      const doc = JSON.parse(await importer.files[0].text());
      const seed = fromHex(doc.seed, 32);
      if (credentialPublicKey(seed) === data.registered) {
        localStorage.setItem(storeKey, toHex(seed));
        $('credential-status').textContent = 'This browser now holds your registered credential.';
      } else {
        await register(seed);
      }
    } catch (error) {
      fail(`That credential file could not be used: ${error.message}`);
    }
  });
}

const form = $('ballot-form');
if (form) {
  const election = loadElection(data.election);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError();
    const seed = storedSeed();
    if (!seed || credentialPublicKey(seed) !== data.registered) {
      fail('This browser does not hold your registered credential: use your credential file above.');
      return;
    }
    const chosen = [...form.querySelectorAll('input[name=choice]:checked')].map((i) => i.value);
    const started = performance.now();
    try {
      pending = encryptBallot(election, seed, seq, { [data.contest]: chosen });
    } catch (error) {
      fail(`Your ballot could not be encrypted: ${error.message}`);
      return;
    }
    window.smolnyBoothEncryptMs = performance.now() - started;
    $('tracker').textContent = pending.tracker;
    $('sealed').hidden = false;
    $('audit-result').hidden = true;
    $('receipt').hidden = true;
  });

  $('audit').addEventListener('click', () => {
    clearError();
    const audit = { type: 'smolny-ballot-audit', ballot: pending.ballot, randomness: pending.randomness };
    const opened = openAudit(election, audit)[data.contest];
    // Say what was encrypted as the ballot shows it (a candidate's name, not her member id),
    // and put the tracker in a <code>, which wraps anywhere: on a phone the 64 hex digits in
    // running text pushed the page sideways.
    const shown = opened.map((value) => {
      const input = [...form.querySelectorAll('input[name=choice]')].find((i) => i.value === value);
      const label = input && form.querySelector(`label[for="${input.id}"]`);
      return label ? label.textContent : value;
    });
    const box = $('audit-result');
    const p = document.createElement('p');
    const code = document.createElement('code');
    code.textContent = pending.tracker;
    p.append(
      'Audited ballot ',
      code,
      `: this device encrypted ${shown.length ? shown.join(', ') : 'no selection'}. ` +
        'Its randomness is revealed, so it can never be cast; encrypt your ballot again to vote.',
    );
    box.replaceChildren(p);
    box.hidden = false;
    pending = null;
    $('sealed').hidden = true;
  });

  $('cast').addEventListener('click', async () => {
    clearError();
    try {
      await command(data.cast_url, { subject: data.subject, ballot: pending.ballot });
    } catch (error) {
      fail(`Your ballot was not cast: ${error.message}`);
      return;
    }
    const tracker = pending.tracker;
    pending = null;
    seq += 1;
    $('sealed').hidden = true;
    const box = $('receipt');
    box.replaceChildren();
    const p = document.createElement('p');
    p.append('Your ballot is cast. Keep its tracker: ');
    const code = document.createElement('code');
    code.textContent = tracker;
    p.append(code, '. ');
    const link = document.createElement('a');
    link.href = `${data.ballots_url}?tracker=${tracker}`;
    link.textContent = 'Find it in the ballot box';
    p.append(link, '.');
    box.append(p);
    box.hidden = false;
  });
}

$('booth-ready').hidden = false;
