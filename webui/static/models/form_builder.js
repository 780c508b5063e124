// The form builder: edits a form's fields (name, kind, Persian title, required, choices, limits, order)
// and shows a live preview drawn by the server with the task page's own field macros. Parts of the form
// it does not edit (help texts, checks, tables, other hints) are kept as they are.
"use strict";

(() => {
  const newForm = document.getElementById("new-form");
  if (newForm) {
    newForm.addEventListener("submit", (event) => {
      event.preventDefault();
      window.location.href = newForm.dataset.base + encodeURIComponent(newForm.elements.name.value.trim());
    });
  }
  const holder = document.getElementById("builder-config");
  if (!holder) return;
  const config = JSON.parse(holder.textContent);
  const form = JSON.parse(JSON.stringify(config.form));
  form.schema = form.schema || { type: "object", properties: {} };
  form.schema.properties = form.schema.properties || {};
  form.ui = form.ui || {};
  form.ui.fields = form.ui.fields || {};
  form.title = form.title || {};
  const csrf = document.getElementById("csrf").value;
  const list = document.getElementById("fields");
  const template = document.getElementById("field-template");
  const status = document.getElementById("status");
  const NUMERIC = ["integer", "number", "rial"];
  const TEXTUAL = ["text", "textarea"];
  const FORMATS = { rial: "rial", "jalali-date": "jalali-date", user: "user", unit: "unit", attachment: "attachment" };
  const TYPES = { integer: "integer", number: "number", rial: "integer", boolean: "boolean" };

  const kindOf = (schema, hints) => {
    if (Array.isArray(schema.enum)) return "choice";
    if (schema.type === "array") return "table";
    if (schema.format === "rial") return "rial";
    if (FORMATS[schema.format]) return schema.format;
    if (["integer", "number", "boolean"].includes(schema.type)) return schema.type;
    return hints.widget === "textarea" ? "textarea" : "text";
  };
  const limitKeys = (kind) => (NUMERIC.includes(kind) ? ["minimum", "maximum"] : TEXTUAL.includes(kind) ? ["minLength", "maxLength"] : []);
  const choicesText = (schema, hints) => (schema.enum || []).map((v) => {
    const label = (hints.labels || {})[String(v)];
    const fa = label && typeof label === "object" ? label.fa : label;
    return fa ? `${v}=${fa}` : String(v);
  }).join("\n");

  // One entry per field, in display order: what the builder edits, plus the original schema and hints.
  const props = form.schema.properties;
  const order = [...(form.ui.order || []).filter((n) => n in props), ...Object.keys(props).filter((n) => !(form.ui.order || []).includes(n))];
  const required = new Set(form.schema.required || []);
  let fields = order.map((name) => {
    const schema = props[name];
    const hints = form.ui.fields[name] || {};
    const kind = kindOf(schema, hints);
    const [minKey, maxKey] = limitKeys(kind);
    return { name, kind, title: schema.title || "", required: required.has(name), schema, hints,
      choices: choicesText(schema, hints), min: minKey ? schema[minKey] ?? "" : "", max: maxKey ? schema[maxKey] ?? "" : "" };
  });

  const number = (text) => {
    const ascii = String(text).trim().replace(/[۰-۹]/g, (d) => "۰۱۲۳۴۵۶۷۸۹".indexOf(d)).replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d));
    return ascii === "" || Number.isNaN(Number(ascii)) ? undefined : Number(ascii);
  };
  const schemaOf = (field) => {
    if (field.kind === "table") return field.schema;
    const schema = { ...field.schema };
    ["enum", "format", "minimum", "maximum", "minLength", "maxLength", "items"].forEach((k) => delete schema[k]);
    schema.type = TYPES[field.kind] || "string";
    if (FORMATS[field.kind]) schema.format = FORMATS[field.kind];
    if (field.title) schema.title = field.title; else delete schema.title;
    const [minKey, maxKey] = limitKeys(field.kind);
    if (minKey && number(field.min) !== undefined) schema[minKey] = number(field.min);
    if (maxKey && number(field.max) !== undefined) schema[maxKey] = number(field.max);
    if (field.kind === "choice") schema.enum = field.choices.split("\n").map((l) => l.split("=")[0].trim()).filter(Boolean);
    return schema;
  };
  const hintsOf = (field) => {
    const hints = { ...field.hints };
    if (field.kind === "textarea") hints.widget = "textarea"; else if (field.kind !== "table") delete hints.widget;
    if (field.kind === "choice") {
      const labels = {};
      field.choices.split("\n").forEach((line) => {
        const [value, ...rest] = line.split("=");
        const label = rest.join("=").trim();
        const old = (field.hints.labels || {})[value.trim()];
        if (value.trim() && label) labels[value.trim()] = old && typeof old === "object" ? { ...old, fa: label } : label;
      });
      if (Object.keys(labels).length) hints.labels = labels; else delete hints.labels;
    } else if (field.kind !== "table") delete hints.labels;
    return hints;
  };
  const current = () => {
    const out = JSON.parse(JSON.stringify(form));
    out.title = { ...form.title, fa: document.getElementById("form-title-fa").value, en: document.getElementById("form-title-en").value };
    out.schema.properties = {};
    out.ui.fields = {};
    fields.forEach((f) => {
      out.schema.properties[f.name] = schemaOf(f);
      const hints = hintsOf(f);
      if (Object.keys(hints).length) out.ui.fields[f.name] = hints;
    });
    const names = fields.map((f) => f.name);
    out.schema.required = fields.filter((f) => f.required).map((f) => f.name);
    if (!out.schema.required.length) delete out.schema.required;
    out.ui.order = names;
    if (!Object.keys(out.ui.fields).length) delete out.ui.fields;
    return out;
  };

  const post = (url) => fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ form: current() }),
  });
  let timer = null;
  const preview = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const response = await post(config.previewUrl);
      if (!response.ok) return;
      const target = document.getElementById("preview");
      target.innerHTML = await response.text();  // server-rendered and escaped by Jinja
      target.dataset.version = String(Number(target.dataset.version || 0) + 1);
    }, 250);
  };

  const row = (field, index) => {
    const node = template.content.firstElementChild.cloneNode(true);
    node.dataset.field = field.name;
    node.querySelectorAll("[data-key]").forEach((input) => {
      const key = input.dataset.key;
      if (input.type === "checkbox") input.checked = field[key]; else input.value = field[key];
      input.id = `b-${index}-${key}`;
      input.addEventListener(input.tagName === "SELECT" || input.type === "checkbox" ? "change" : "input", () => {
        field[key] = input.type === "checkbox" ? input.checked : input.value;
        if (key === "kind") render(); else preview();
      });
    });
    const locked = field.kind === "table";
    node.classList.toggle("locked", locked);
    node.querySelector('[data-key="kind"]').disabled = locked;
    node.querySelectorAll(".limits").forEach((el) => { el.hidden = !limitKeys(field.kind).length; });
    node.querySelector(".choices-box").hidden = field.kind !== "choice";
    node.querySelectorAll("[data-move]").forEach((button) => button.addEventListener("click", () => {
      const to = index + Number(button.dataset.move);
      if (to < 0 || to >= fields.length) return;
      [fields[index], fields[to]] = [fields[to], fields[index]];
      render();
    }));
    node.querySelector("[data-remove]").addEventListener("click", () => { fields.splice(index, 1); render(); });
    return node;
  };
  const render = () => {
    list.replaceChildren(...fields.map(row));
    preview();
  };

  document.getElementById("form-title-fa").value = form.title.fa || "";
  document.getElementById("form-title-en").value = form.title.en || "";
  ["form-title-fa", "form-title-en"].forEach((id) => document.getElementById(id).addEventListener("input", preview));
  document.getElementById("add-field").addEventListener("click", () => {
    let n = fields.length + 1;
    while (fields.some((f) => f.name === `field_${n}`)) n += 1;
    fields.push({ name: `field_${n}`, kind: "text", title: "", required: false, schema: {}, hints: {}, choices: "", min: "", max: "" });
    render();
    list.lastElementChild.querySelector(".title").focus();
  });
  document.getElementById("save-form").addEventListener("click", async () => {
    const problems = document.getElementById("save-problems");
    try {
      const response = await post(config.saveUrl);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      problems.replaceChildren(...body.problems.map((p) => Object.assign(document.createElement("li"), { textContent: p })));
      problems.hidden = !body.problems.length;
      status.textContent = config.text.saved;
      status.dataset.kind = "ok";
    } catch (err) {
      status.textContent = config.text.failed;
      status.dataset.kind = "error";
    }
  });
  render();
})();
