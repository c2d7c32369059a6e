// Smolny voting booth: encrypt, prove and sign a ballot on the voter's own device.
//
// The same protocol, byte for byte, as the Python package smolny.ballot (see docs/ballots.md):
// exponential ElGamal over ristretto255 (RFC 9496) with @noble/curves, Cramer–Damgård–
// Schoenmakers disjunctive Chaum–Pedersen proofs made non-interactive with *strong*
// Fiat–Shamir (Bernhard–Pereira–Warinschi 2012: the challenge hashes the statement, not only
// the commitments), Ed25519 voter signatures over RFC 8785 canonical JSON.  Fixed seeds give
// reproducible output; tests/ballot checks that Python and this module produce identical
// bytes and verify each other's ballots.

import { ed25519, ristretto255 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

const Point = ristretto255.Point;
const G = Point.BASE;
/** ℓ, the prime order of ristretto255 (RFC 9496 §4). */
export const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const PROTOCOL = 'smolny-ballot/1';
const GROUP = 'ristretto255';
const TAG_OPTION = 'ballot/option-0-or-1';
const TAG_COUNT = 'ballot/selection-count';
const enc = new TextEncoder();

// ---- bytes, scalars, points -------------------------------------------------------------

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex, size) {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/.test(hex)) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  if (size !== undefined && out.length !== size) throw new Error(`expected ${size} bytes`);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u64(n) {
  const out = new Uint8Array(8);
  let v = BigInt(n);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A field with its length as 8 big-endian bytes, as in Python's proofs.lp. */
function lp(bytes) {
  return concat(u64(bytes.length), bytes);
}

function leToNumber(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function numberToLe32(n) {
  const out = new Uint8Array(32);
  let v = ((n % ORDER) + ORDER) % ORDER;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const mod = (n) => ((n % ORDER) + ORDER) % ORDER;

/** crypto_core_ristretto255_scalar_reduce of a 64-byte string. */
function reduce64(wide) {
  return mod(leToNumber(wide));
}

function scalarFromHex(hex, what) {
  const n = leToNumber(fromHex(hex, 32));
  if (n >= ORDER) throw new Error(`${what} is not a canonical scalar`);
  return n;
}

/** Decode a canonical ristretto255 element (RFC 9496 §4.3.1) or throw. */
export function pointFromHex(hex, what = 'element') {
  try {
    return Point.fromBytes(fromHex(hex, 32));
  } catch {
    throw new Error(`${what} is not a canonical ristretto255 encoding`);
  }
}

const ptHex = (p) => toHex(p.toBytes());
const mulPub = (s, p) => (s === 0n ? Point.ZERO : p.multiplyUnsafe(s));
const mulSecret = (s, p) => (s === 0n ? Point.ZERO : p.multiply(s));
const small = (v) => (v === 0 ? Point.ZERO : G.multiplyUnsafe(BigInt(v)));

// ---- canonical JSON (RFC 8785) for the values ballots contain --------------------------

/** RFC 8785 canonical JSON of strings, safe integers, booleans, null, arrays and objects. */
export function canonicalize(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('only safe integers are canonical here');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    // RFC 8785 §3.2.3: keys sorted by UTF-16 code units, which is JavaScript's default order.
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
  }
  throw new Error(`${typeof value} has no canonical JSON form`);
}

// ---- Fiat–Shamir and nonces --------------------------------------------------------------

function challenge(tag, parts) {
  const chunks = [lp(enc.encode(PROTOCOL)), lp(enc.encode(GROUP)), lp(enc.encode(tag))];
  for (const p of parts) chunks.push(lp(p));
  return reduce64(sha512(concat(...chunks)));
}

/** Prover randomness: SHA-512(tag‖seed‖labels) mod ℓ; fresh random seed unless one is given. */
export class Nonces {
  constructor(seed) {
    this.seed = seed ?? crypto.getRandomValues(new Uint8Array(32));
    if (this.seed.length !== 32) throw new Error('nonce seed must be 32 bytes');
  }

  scalar(...label) {
    const chunks = [lp(enc.encode(`${PROTOCOL}/nonce`)), lp(this.seed)];
    for (const part of label) chunks.push(lp(enc.encode(part)));
    return reduce64(sha512(concat(...chunks)));
  }
}

// ---- disjunctive Chaum–Pedersen (Cramer–Damgård–Schoenmakers) ---------------------------

function proveOr(tag, context, key, [A, B], values, real, r, nonces, label) {
  const m = values.length;
  const cs = new Array(m);
  const zs = new Array(m);
  const commits = [];
  const w = nonces.scalar(...label, 'w');
  values.forEach((v, j) => {
    if (j === real) {
      commits.push(mulSecret(w, G), mulSecret(w, key));
      return;
    }
    cs[j] = nonces.scalar(...label, 'c', String(j));
    zs[j] = nonces.scalar(...label, 'z', String(j));
    const nc = mod(-cs[j]);
    const Bj = v ? B.subtract(small(v)) : B;
    commits.push(mulPub(zs[j], G).add(mulPub(nc, A)), mulPub(zs[j], key).add(mulPub(nc, Bj)));
  });
  const c = challenge(tag, [...context, key.toBytes(), A.toBytes(), B.toBytes(), ...commits.map((p) => p.toBytes())]);
  let rest = 0n;
  cs.forEach((x, j) => {
    if (j !== real) rest += x;
  });
  cs[real] = mod(c - rest);
  zs[real] = mod(w + cs[real] * r);
  return { c: cs.map((x) => toHex(numberToLe32(x))), z: zs.map((x) => toHex(numberToLe32(x))) };
}

function verifyOr(tag, context, key, [A, B], values, proof, what) {
  if (!proof || !Array.isArray(proof.c) || !Array.isArray(proof.z) || Object.keys(proof).length !== 2) {
    throw new Error(`${what}: malformed proof`);
  }
  if (proof.c.length !== values.length || proof.z.length !== values.length) return false;
  const commits = [];
  let total = 0n;
  values.forEach((v, j) => {
    const cj = scalarFromHex(proof.c[j], `${what} challenge`);
    const zj = scalarFromHex(proof.z[j], `${what} response`);
    const nc = mod(-cj);
    const Bj = v ? B.subtract(small(v)) : B;
    commits.push(mulPub(zj, G).add(mulPub(nc, A)), mulPub(zj, key).add(mulPub(nc, Bj)));
    total += cj;
  });
  const c = challenge(tag, [...context, key.toBytes(), A.toBytes(), B.toBytes(), ...commits.map((p) => p.toBytes())]);
  return c === mod(total);
}

// ---- election ------------------------------------------------------------------------------

/** Allowed selection counts; [] for approval, where every count 0..n is allowed and a
 * count proof would prove nothing (as in Python's Contest.sum_values). */
function sumValues(contest) {
  if (contest.kind === 'motion' || contest.kind === 'plurality') return [1];
  if (contest.kind === 'approval') return [];
  throw new Error(`unknown contest kind ${contest.kind}`);
}

/** SHA-256 of canonical {group, manifest, protocol, public_key}, as Python's fingerprint(). */
export function electionFingerprint(manifest, publicKeyHex) {
  const body = { group: GROUP, manifest, protocol: PROTOCOL, public_key: publicKeyHex };
  return toHex(sha256(enc.encode(canonicalize(body))));
}

/** Load an election.json document, recomputing its fingerprint rather than trusting it. */
export function loadElection(doc) {
  if (!doc || doc.type !== 'smolny-election') throw new Error('not a smolny-election document');
  const key = pointFromHex(doc.public_key, 'election public key');
  if (key.is0()) throw new Error('election public key is the identity');
  const fingerprint = electionFingerprint(doc.manifest, doc.public_key);
  if (fingerprint !== doc.fingerprint) throw new Error('fingerprint does not match manifest and key');
  return { manifest: doc.manifest, key, fingerprint: fromHex(fingerprint, 32), fingerprintHex: fingerprint };
}

function statementDigest(contests) {
  const chunks = [];
  for (const [cid, cts] of contests) {
    chunks.push(lp(enc.encode(cid)), lp(u64(cts.length)));
    for (const [A, B] of cts) chunks.push(lp(A.toBytes()), lp(B.toBytes()));
  }
  return sha512(concat(...chunks));
}

function context(election, voter, seq, cid, digest) {
  return [election.fingerprint, voter, u64(seq), enc.encode(cid), digest];
}

function sumCts(cts) {
  return cts.reduce(([a, b], [x, y]) => [a.add(x), b.add(y)]);
}

function signingMessage(doc) {
  const body = { ...doc };
  delete body.signature;
  return concat(enc.encode(`${PROTOCOL}/${body.type}`), new Uint8Array([0]), enc.encode(canonicalize(body)));
}

/** The voter's receipt: SHA-256 of the signed ballot's canonical bytes, hex. */
export function ballotTracker(ballot) {
  return toHex(sha256(enc.encode(canonicalize(ballot))));
}

/** Ed25519 public key (hex) of a 32-byte credential seed. */
export function credentialPublicKey(credentialSeed) {
  return toHex(ed25519.getPublicKey(credentialSeed));
}

/**
 * Encrypt, prove and sign a ballot.
 * @param election  result of loadElection()
 * @param credentialSeed  32-byte Ed25519 seed of the voter's credential
 * @param seq  1 for the first ballot, one more for each re-vote
 * @param choices  {contestId: [optionName, ...]}
 * @param seed  32 bytes fixing all randomness (tests only); random when omitted
 * @returns {{ballot, randomness, tracker}}; randomness is what an audit reveals
 */
export function encryptBallot(election, credentialSeed, seq, choices, seed) {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error('seq must be a positive integer');
  const nonces = new Nonces(seed);
  const voter = ed25519.getPublicKey(credentialSeed);
  const key = election.key;
  const plan = election.manifest.contests.map((contest) => {
    const chosen = choices[contest.id] ?? [];
    for (const o of chosen) if (!contest.options.includes(o)) throw new Error(`contest ${contest.id}: no option ${o}`);
    if (new Set(chosen).size !== chosen.length) throw new Error(`contest ${contest.id}: option chosen twice`);
    const votes = contest.options.map((o) => (chosen.includes(o) ? 1 : 0));
    const values = sumValues(contest);
    const total = votes.reduce((x, y) => x + y, 0);
    if (values.length && !values.includes(total)) {
      throw new Error(`contest ${contest.id}: ${total} selections, allowed ${values[0]}..${values.at(-1)}`);
    }
    const rs = votes.map((_, i) => nonces.scalar(contest.id, String(i), 'r'));
    const cts = votes.map((v, i) => [mulSecret(rs[i], G), small(v).add(mulSecret(rs[i], key))]);
    return { contest, votes, rs, cts, values };
  });
  const digest = statementDigest(plan.map((p) => [p.contest.id, p.cts]));
  const contests = plan.map(({ contest, votes, rs, cts, values }) => {
    const ctx = context(election, voter, seq, contest.id, digest);
    const entry = {
      id: contest.id,
      ciphertexts: cts.map(([A, B]) => [ptHex(A), ptHex(B)]),
      proofs: cts.map((ct, i) =>
        proveOr(TAG_OPTION, [...ctx, u64(i)], key, ct, [0, 1], votes[i], rs[i], nonces, [contest.id, String(i)]),
      ),
    };
    if (values.length) {
      const total = votes.reduce((x, y) => x + y, 0);
      const rSum = mod(rs.reduce((x, y) => x + y, 0n));
      entry.count_proof = proveOr(TAG_COUNT, ctx, key, sumCts(cts), values, values.indexOf(total), rSum, nonces, [
        contest.id,
        'sum',
      ]);
    }
    return entry;
  });
  const ballot = {
    type: 'smolny-ballot',
    version: 1,
    election: election.fingerprintHex,
    voter: toHex(voter),
    seq,
    contests,
  };
  ballot.signature = toHex(ed25519.sign(signingMessage(ballot), credentialSeed));
  const randomness = Object.fromEntries(plan.map((p) => [p.contest.id, p.rs.map((r) => toHex(numberToLe32(r)))]));
  return { ballot, randomness, tracker: ballotTracker(ballot) };
}

/**
 * Verify a ballot completely (shape, election, signature, every element and proof).
 * Throws an Error naming what failed; returns {voter, seq, tracker, ciphertexts}.
 */
export function verifyBallot(election, ballot) {
  if (!ballot || ballot.type !== 'smolny-ballot') throw new Error('not a smolny-ballot document');
  if (!('signature' in ballot)) throw new Error('unsigned: ballot is unsigned');
  const fields = ['contests', 'election', 'seq', 'signature', 'type', 'version', 'voter'];
  if (canonicalize(Object.keys(ballot).sort()) !== canonicalize(fields) || ballot.version !== 1) {
    throw new Error('bad-ballot: unexpected or missing fields');
  }
  if (ballot.election !== election.fingerprintHex) throw new Error('wrong-election: ballot was cast for another election');
  const voter = fromHex(ballot.voter, 32);
  const { seq } = ballot;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error('bad-ballot: seq must be a positive integer');
  if (!ed25519.verify(fromHex(ballot.signature, 64), signingMessage(ballot), voter)) {
    throw new Error('bad-signature: ballot: signature does not verify');
  }
  const manifest = election.manifest;
  if (!Array.isArray(ballot.contests) || ballot.contests.length !== manifest.contests.length) {
    throw new Error('bad-ballot: ballot must answer every contest, in manifest order');
  }
  const parsed = manifest.contests.map((contest, k) => {
    const entry = ballot.contests[k];
    if (!entry || entry.id !== contest.id) throw new Error(`bad-ballot: contest ${contest.id}: missing or out of order`);
    const want = ['ciphertexts', 'id', 'proofs', ...(sumValues(contest).length ? ['count_proof'] : [])].sort();
    if (canonicalize(Object.keys(entry).sort()) !== canonicalize(want)) {
      throw new Error(`bad-ballot: contest ${contest.id}: unexpected or missing fields`);
    }
    if (!Array.isArray(entry.ciphertexts) || entry.ciphertexts.length !== contest.options.length) {
      throw new Error(`bad-ballot: contest ${contest.id}: one ciphertext per option`);
    }
    const cts = entry.ciphertexts.map((ct, i) => {
      const what = `contest ${contest.id} option ${i} ciphertext`;
      if (!Array.isArray(ct) || ct.length !== 2) throw new Error(`bad-ballot: ${what} is malformed`);
      return [pointFromHex(ct[0], what), pointFromHex(ct[1], what)];
    });
    return { contest, entry, cts };
  });
  const digest = statementDigest(parsed.map((p) => [p.contest.id, p.cts]));
  for (const { contest, entry, cts } of parsed) {
    const ctx = context(election, voter, seq, contest.id, digest);
    if (!Array.isArray(entry.proofs) || entry.proofs.length !== cts.length) {
      throw new Error(`bad-proof: contest ${contest.id}: one proof per option`);
    }
    cts.forEach((ct, i) => {
      const what = `contest ${contest.id} option ${i}`;
      if (!verifyOr(TAG_OPTION, [...ctx, u64(i)], election.key, ct, [0, 1], entry.proofs[i], what)) {
        throw new Error(`bad-proof: ${what}: proof that it encrypts 0 or 1 fails`);
      }
    });
    const values = sumValues(contest);
    if (values.length) {
      const what = `contest ${contest.id} selection count`;
      if (!verifyOr(TAG_COUNT, ctx, election.key, sumCts(cts), values, entry.count_proof, what)) {
        throw new Error(`bad-proof: ${what}: proof that ${values[0]}..${values.at(-1)} options are selected fails`);
      }
    }
  }
  return { voter: ballot.voter, seq, tracker: ballotTracker(ballot), ciphertexts: parsed.map((p) => p.cts) };
}

/** Benaloh audit: check revealed randomness against the ciphertexts; return the choices. */
export function openAudit(election, audit) {
  const { ciphertexts } = verifyBallot(election, audit.ballot);
  const out = {};
  election.manifest.contests.forEach((contest, k) => {
    const rs = audit.randomness[contest.id];
    out[contest.id] = [];
    ciphertexts[k].forEach(([A, B], i) => {
      const r = scalarFromHex(rs[i], 'randomness');
      if (!mulPub(r, G).equals(A)) throw new Error(`audit-mismatch: contest ${contest.id} option ${i}`);
      const M = B.subtract(mulPub(r, election.key));
      if (M.equals(G)) out[contest.id].push(contest.options[i]);
      else if (!M.is0()) throw new Error(`audit-mismatch: contest ${contest.id} option ${i}: not 0 or 1`);
    });
  });
  return out;
}
