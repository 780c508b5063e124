// The process owner's modeler: bpmn-js with the Camunda properties panel, saving the draft, checking it
// with the engine's lint and showing each diagnostic on its element (marker, NZ badge, list entry).
"use strict";

// Persian labels of the palette and the properties panel; what is not here stays English.
const FA = {
  "General": "عمومی", "Name": "نام", "ID": "شناسه", "Documentation": "توضیحات",
  "Element documentation": "توضیح عنصر", "Implementation": "اجرا", "Type": "نوع", "Topic": "موضوع (نام پردازشگر)",
  "External": "بیرونی (پردازشگر)", "User assignment": "واگذاری کار", "Assignee": "کارگزار",
  "Candidate groups": "گروه‌های مجاز", "Candidate users": "کاربران مجاز", "Due date": "سررسید",
  "Follow up date": "تاریخ پیگیری", "Priority": "اولویت", "Form": "فرم", "Form key": "کلید فرم",
  "Extension properties": "ویژگی‌های افزوده", "Inputs": "ورودی‌ها", "Outputs": "خروجی‌ها", "Value": "مقدار",
  "Condition": "شرط", "Timer": "زمان‌سنج", "Errors": "خطاها", "Process": "فرایند", "Executable": "اجرایی",
  "Asynchronous continuations": "ادامهٔ ناهمگام", "Create StartEvent": "ساختن رویداد آغاز",
  "Create EndEvent": "ساختن رویداد پایان", "Create Gateway": "ساختن دروازه", "Create Task": "ساختن کار",
  "Create expanded SubProcess": "ساختن زیرفرایند", "Create Pool/Participant": "ساختن استخر",
  "Activate the hand tool": "ابزار دست", "Activate the lasso tool": "ابزار کمند",
  "Activate the create/remove space tool": "ابزار فضا", "Activate the global connect tool": "ابزار اتصال",
  "Delete": "حذف", "Change type": "تغییر نوع", "Connect using Sequence/MessageFlow or Association": "اتصال",
};
const translate = (template, replacements = {}) =>
  (FA[template] || template).replace(/{([^}]+)}/g, (_, key) => replacements[key] ?? `{${key}}`);

// Fit the diagram beside the palette (drawn over the canvas's left edge) rather than under it.
const fit = (canvas) => {
  const { inner, outer } = canvas.viewbox();
  if (!inner.width || !inner.height) return;
  const left = 120;
  const scale = Math.min((outer.width - left - 30) / inner.width, (outer.height - 40) / inner.height, 1);
  canvas.viewbox({ x: inner.x - left / scale, y: inner.y - 20 / scale, width: outer.width / scale, height: outer.height / scale });
};

(async () => {
  const config = JSON.parse(document.getElementById("modeler-config").textContent);
  const csrf = document.querySelector('#deploy-form input[name="csrf_token"]').value;
  const status = document.getElementById("status");
  const panel = window.BpmnJSPropertiesPanel;
  const camunda = await (await fetch(config.camunda, { credentials: "same-origin" })).json();
  if (document.fonts) await document.fonts.load("12px Vazirmatn");  // labels are measured at import
  const modeler = new window.BpmnJS({
    container: "#canvas",
    textRenderer: { defaultStyle: { fontFamily: "Vazirmatn, Tahoma, sans-serif", fontSize: 12 } },
    propertiesPanel: { parent: "#props", layout: { groups: {
      general: { open: true }, CamundaPlatform__UserAssignment: { open: true },
      CamundaPlatform__Implementation: { open: true } } } },
    additionalModules: [panel.BpmnPropertiesPanelModule, panel.BpmnPropertiesProviderModule,
      panel.CamundaPlatformPropertiesProviderModule, ...(config.lang === "fa" ? [{ translate: ["value", translate] }] : [])],
    moddleExtensions: { camunda },
  });
  await modeler.importXML(config.xml);
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  const overlays = modeler.get("overlays");
  fit(canvas);
  const unsaved = document.getElementById("unsaved");
  let savedXml = (await modeler.saveXML({ format: true })).xml;
  let changes = 0;  // counted on <body data-changes>, so a test can wait for the panel's debounced edit
  modeler.on("commandStack.changed", async () => {
    changes += 1;
    document.body.dataset.changes = String(changes);
    unsaved.hidden = (await modeler.saveXML({ format: true })).xml === savedXml;
  });

  const say = (text, kind) => { status.textContent = text; status.dataset.kind = kind || ""; };
  const digits = (n) => Number(n).toLocaleString(config.lang === "fa" ? "fa-IR" : "en");
  const post = async (url) => {
    const { xml } = await modeler.saveXML({ format: true });
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ xml, base_version: config.baseVersion }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document.getElementById("draft-state").hidden = false;
    savedXml = xml;
    unsaved.hidden = true;
    return response.json();
  };

  let marked = [];
  const clear = () => {
    overlays.remove({ type: "diagnostic" });
    marked.forEach(([id, cls]) => canvas.removeMarker(id, cls));
    marked = [];
  };
  const focus = (id) => {
    const element = registry.get(id);
    if (!element) return;
    modeler.get("selection").select(element);
    canvas.scrollToElement(element);
  };
  const badge = (found) => {
    const div = document.createElement("div");
    div.className = `nz-badge ${found.map((d) => d.severity).includes("error") ? "error" : "warning"}`;
    div.textContent = [...new Set(found.map((d) => d.code))].join(" ");
    div.title = found.map((d) => `${d.code} ${d.message}`).join("\n");
    return div;
  };
  const entry = (d) => {
    const li = document.createElement("li");
    li.className = `diagnostic ${d.severity}`;
    li.dataset.code = d.code;
    if (d.element) li.dataset.element = d.element;
    const code = document.createElement(d.element && registry.get(d.element) ? "a" : "strong");
    code.className = "code";
    code.textContent = d.code;
    if (code.tagName === "A") {
      code.href = `#${d.element}`;
      code.addEventListener("click", (event) => { event.preventDefault(); focus(d.element); });
    }
    const text = document.createElement("span");
    text.className = "message";
    text.dir = "auto";
    text.textContent = `${d.message}${d.hint ? ` — ${d.hint}` : ""}`;
    const where = document.createElement("span");
    where.className = "where ltr";
    where.textContent = d.element ? ` ${d.element}${registry.get(d.element) ? "" : ` ${config.text.notOnDiagram}`}` : "";
    const head = document.createElement("div");
    head.append(code, where);
    li.append(head, text);
    return li;
  };
  const show = (diagnostics) => {
    clear();
    const list = document.getElementById("diagnostics");
    list.replaceChildren(...diagnostics.map(entry));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const summary = document.getElementById("diagnostics-summary");
    summary.textContent = diagnostics.length ? config.text.summary
      .replace("%(errors)s", digits(errors)).replace("%(warnings)s", digits(diagnostics.length - errors)) : config.text.clean;
    summary.className = errors ? "summary error" : "summary ok";
    const byElement = new Map();
    diagnostics.filter((d) => d.element && registry.get(d.element))
      .forEach((d) => byElement.set(d.element, [...(byElement.get(d.element) || []), d]));
    byElement.forEach((found, id) => {
      const cls = found.some((d) => d.severity === "error") ? "nz-error" : "nz-warning";
      canvas.addMarker(id, cls);
      marked.push([id, cls]);
      overlays.add(id, "diagnostic", { position: { top: -14, left: -6 }, html: badge(found) });
    });
    document.body.dataset.checked = String(Date.now());
  };

  document.getElementById("save-draft").addEventListener("click", async () => {
    try { await post(config.saveUrl); say(config.text.saved, "ok"); } catch (err) { say(config.text.failed, "error"); }
  });
  document.getElementById("check").addEventListener("click", async () => {
    try { show((await post(config.checkUrl)).diagnostics); say("", ""); } catch (err) { say(config.text.failed, "error"); }
  });
  document.getElementById("deploy-form").addEventListener("submit", async (event) => {
    event.preventDefault();  // the draft on the server must be what the owner sees before it is deployed
    try { await post(config.saveUrl); event.target.submit(); } catch (err) { say(config.text.failed, "error"); }
  });
  if (config.diagnostics.length) show(config.diagnostics);
  document.getElementById("canvas").dataset.ready = "1";
})();
