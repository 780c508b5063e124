// Task page, signature step: "sign with my token" asks the server for the exact bytes to sign, has the
// clerk's local signing agent (signatures.agent, on 127.0.0.1) sign them on the token, and submits the
// form with the returned CMS. "Sign on the server" needs no script: the form posts the key and password.
"use strict";

(() => {
  const step = document.getElementById("signature-step");
  if (!step) return;
  const form = step.closest("form");
  const error = document.getElementById("signature-error");
  const value = document.getElementById("signature-value");
  const summary = document.getElementById("signature-summary");
  const mode = () => (form.querySelector('input[name="_sign_with"]:checked') || {}).value;
  const show = () => step.querySelectorAll("[data-sign]").forEach((el) => { el.hidden = el.dataset.sign !== mode(); });
  const fail = (message) => { error.textContent = message; error.hidden = false; };
  step.addEventListener("change", show);
  show();

  const signOnToken = async () => {
    const prepared = await fetch(step.dataset.prepareUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    if (!prepared.ok) return "form";  // the form itself is refused: post it, and the page shows why by field
    const toSign = await prepared.json();
    let answer;
    try {
      answer = await fetch(`${step.dataset.agentUrl}/sign`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ data: toSign.data, sha256: toSign.sha256 }),
      });
    } catch (_) {
      fail(step.dataset.noAgent);
      return null;
    }
    const result = await answer.json().catch(() => ({}));
    if (!answer.ok || !result.signature) {
      fail(`${step.dataset.agentRefused} ${result.error || answer.status}`);
      return null;
    }
    value.value = result.signature;
    summary.textContent = `${result.signer} — ${toSign.summary}`;
    summary.hidden = false;
    return "signed";
  };

  form.addEventListener("submit", async (event) => {
    if (mode() !== "token" || !event.submitter || event.submitter.id !== "complete") return;
    event.preventDefault();
    error.hidden = true;
    event.submitter.disabled = true;
    try {
      if (await signOnToken()) form.submit();
    } finally {
      event.submitter.disabled = false;
    }
  });
})();
