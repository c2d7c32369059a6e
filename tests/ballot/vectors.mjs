// Test helper: read a JSON request on stdin, answer with the booth module's output on stdout.
// {election, credential_seed, seq, choices, seed, verify: [ballot...], audit} →
// {ballot, randomness, tracker, verified: [ok | error message], audit_choices}
import { readFileSync } from 'node:fs';
import * as booth from '../../src/smolny/ballot/js/booth-crypto.js';

const req = JSON.parse(readFileSync(0, 'utf8'));
const election = booth.loadElection(req.election);
const out = {};
if (req.credential_seed) {
  const cast = booth.encryptBallot(
    election,
    booth.fromHex(req.credential_seed, 32),
    req.seq,
    req.choices,
    booth.fromHex(req.seed, 32),
  );
  out.ballot = cast.ballot;
  out.randomness = cast.randomness;
  out.tracker = cast.tracker;
  out.canonical = booth.canonicalize(cast.ballot);
}
out.verified = (req.verify ?? []).map((b) => {
  try {
    booth.verifyBallot(election, b);
    return 'ok';
  } catch (e) {
    return String(e.message);
  }
});
if (req.audit) out.audit_choices = booth.openAudit(election, req.audit);
if (req.points) {
  out.points = req.points.map((h) => {
    try {
      booth.pointFromHex(h);
      return true;
    } catch {
      return false;
    }
  });
}
process.stdout.write(JSON.stringify(out));
