// "Check this entry": recompute an entry's place in the signed record, in the browser.
//
// 1. fetch the inclusion proof of this entry against the latest signed checkpoint (or the
//    size asked for), which comes with that checkpoint's signed note;
// 2. hash the exact bytes shown on the page as an RFC 9162 leaf: SHA-256(0x00 || bytes);
// 3. walk the proof (RFC 9162 §2.1.3.2) and compare the result with the checkpoint's root;
// 4. if the browser's WebCrypto has Ed25519, check the checkpoint's signature with the
//    verifier key printed in the page footer; otherwise say it was not checked.
// Nothing here trusts the server's word: only hashes computed in this page.
(function () {
  "use strict";
  var button = document.getElementById("check-entry");
  if (!button) return;
  var out = document.getElementById("check-result");
  var enc = new TextEncoder();

  function b64(text) {
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function concat(parts) {
    var n = 0, i, off = 0;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    var all = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { all.set(parts[i], off); off += parts[i].length; }
    return all;
  }
  async function sha256(parts) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(parts)));
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  var LEAF = new Uint8Array([0]), NODE = new Uint8Array([1]);

  // RFC 9162 §2.1.3.2, step by step (the same steps as smolny.record.merkle.verify_inclusion).
  async function rootFromProof(leafHash, index, size, proof) {
    if (index >= size) throw new Error("the entry is not inside the tree");
    var fn = index, sn = size - 1, r = leafHash;
    for (var i = 0; i < proof.length; i++) {
      var p = proof[i];
      if (p.length !== 32) throw new Error("a proof element is not 32 bytes");
      if (sn === 0) throw new Error("the proof is longer than the path to the root");
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256([NODE, p, r]);
        while (fn !== 0 && fn % 2 === 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await sha256([NODE, r, p]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error("the proof is shorter than the path to the root");
    return r;
  }

  function parseCheckpoint(note) {
    var split = note.lastIndexOf("\n\n");
    if (split < 0) throw new Error("the checkpoint is not a signed note");
    var text = note.slice(0, split + 1), lines = text.split("\n");
    return {
      text: text, origin: lines[0], size: parseInt(lines[1], 10), root: b64(lines[2]),
      signatures: note.slice(split + 2).split("\n").filter(function (l) { return l; })
    };
  }

  async function signatureChecked(cp) {
    var keyEl = document.getElementById("record-key");
    if (!keyEl || !crypto.subtle) return "not checked (no key on the page)";
    // name+hexid+base64: the name has no '+', the base64 may.
    var text = keyEl.textContent.trim(), a = text.indexOf("+"), b = text.indexOf("+", a + 1);
    var parts = [text.slice(0, a), text.slice(a + 1, b), text.slice(b + 1)];
    var raw = b64(parts[2]);
    var key;
    try {
      key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      return "not checked (this browser has no Ed25519)";
    }
    for (var i = 0; i < cp.signatures.length; i++) {
      var f = cp.signatures[i].split(" ");
      if (f.length !== 3 || f[1] !== parts[0]) continue;
      var sig = b64(f[2]);
      var id = Array.from(sig.slice(0, 4)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      if (id !== parts[1]) continue;
      var ok = await crypto.subtle.verify({ name: "Ed25519" }, key, sig.slice(4), enc.encode(cp.text));
      return ok ? "valid" : "INVALID";
    }
    return "missing";
  }

  function show(ok, message) {
    out.textContent = message;
    out.className = ok ? "check-ok" : "error";
    out.dataset.result = ok ? "ok" : "failed";
  }

  button.addEventListener("click", async function () {
    out.textContent = "Checking…";
    out.dataset.result = "";
    try {
      if (!window.crypto || !crypto.subtle) {
        throw new Error("this page is not in a secure context (HTTPS or localhost), so the browser offers no SHA-256");
      }
      var index = parseInt(button.dataset.index, 10);
      var sizeField = document.getElementById("check-size");
      var url = button.dataset.proof + "?index=" + index;
      if (sizeField && sizeField.value.trim()) url += "&size=" + encodeURIComponent(sizeField.value.trim());
      var response = await fetch(url, { cache: "no-store" });
      var body = await response.json();
      if (!response.ok) throw new Error(body.detail || ("the server answered " + response.status));
      var cp = parseCheckpoint(body.checkpoint);
      if (cp.size !== body.size) throw new Error("the proof is for another size than its checkpoint");
      var bytes = enc.encode(document.getElementById("entry-bytes").textContent);
      var leaf = await sha256([LEAF, bytes]);
      var root = await rootFromProof(leaf, index, cp.size, body.proof.map(b64));
      if (!equal(root, cp.root)) {
        throw new Error("the proof does not lead to the checkpoint's root");
      }
      var signature = await signatureChecked(cp);
      if (signature === "INVALID") throw new Error("the checkpoint's signature does not verify");
      show(true, "Verified: entry #" + index + " is in the record " + cp.origin +
        " of " + cp.size + " entries (root hash recomputed from these bytes and " +
        body.proof.length + " proof hashes; checkpoint signature " + signature + ").");
    } catch (e) {
      // Server messages are sentences already: one full stop, not two.
      show(false, "Check failed: " + String(e.message).replace(/\.$/, "") + ".");
    }
  });
})();
