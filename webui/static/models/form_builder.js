// The form builder: edits the builder's model of a form (webui/models/form_model.py: fields with name,
// kind, Persian title, required, choices, limits, order; a table's columns and its min/max rows) and
// posts the model; the server turns it into the form, draws the live preview with the task page's own
// field macros and saves it into the draft. What the builder does not edit rides along in the model.
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
  const model = JSON.parse(JSON.stringify(config.model));
  const csrf = document.getElementById("csrf").value;
  const list = document.getElementById("fields");
  const template = document.getElementById("field-template");
  const status = document.getElementById("status");
  const LIMITED = ["integer", "number", "rial", "text", "textarea", "table"];
  const NOT_IN_COLUMNS = ["table", "attachment"];  // the task page's table cells draw neither

  const blank = (name) => ({ name, kind: "text", title: "", required: false, min: "", max: "", choices: "",
    columns: [], schema: {}, hints: {} });
  const freshName = (fields, stem) => {
    let n = fields.length + 1;
    while (fields.some((f) => f.name === `${stem}_${n}`)) n += 1;
    return `${stem}_${n}`;
  };
  const current = () => ({ ...model, title: { ...model.title,
    fa: document.getElementById("form-title-fa").value, en: document.getElementById("form-title-en").value } });

  const post = (url) => fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ model: current() }),
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

  // One editor row for ``field``, the ``index``-th of ``fields`` (the form's fields or a table's columns);
  // ``path`` keeps the inputs' ids apart ("3" for a field, "3-c-0" for its first column).
  const row = (field, index, fields, path) => {
    const node = template.content.firstElementChild.cloneNode(true);
    const own = (selector) => [...node.querySelectorAll(selector)].filter((el) => el.closest(".builder-field") === node);
    const isColumn = path.includes("-c-");
    node.dataset.field = field.name;
    node.classList.toggle("column", isColumn);
    if (isColumn) own('[data-key="kind"] option').filter((o) => NOT_IN_COLUMNS.includes(o.value)).forEach((o) => o.remove());
    own("[data-key]").forEach((input) => {
      const key = input.dataset.key;
      if (input.type === "checkbox") input.checked = field[key]; else input.value = field[key];
      input.id = `b-${path}-${key}`;
      input.addEventListener(input.tagName === "SELECT" || input.type === "checkbox" ? "change" : "input", () => {
        field[key] = input.type === "checkbox" ? input.checked : input.value;
        if (key === "kind") render(); else preview();
      });
    });
    const table = field.kind === "table";
    own(".limits").forEach((label) => {
      label.hidden = !LIMITED.includes(field.kind);
      label.querySelector(".limit-label").textContent = table ? label.dataset.rows : label.dataset.values;
    });
    own(".choices-box")[0].hidden = field.kind !== "choice";
    own("[data-move]").forEach((button) => button.addEventListener("click", () => {
      const to = index + Number(button.dataset.move);
      if (to < 0 || to >= fields.length) return;
      [fields[index], fields[to]] = [fields[to], fields[index]];
      render();
    }));
    own("[data-remove]")[0].addEventListener("click", () => { fields.splice(index, 1); render(); });
    const box = own(".columns-box")[0];
    box.hidden = !table;
    if (isColumn) box.remove();  // a column holds no columns
    else if (table) {
      box.querySelector(".columns").replaceChildren(...field.columns.map((c, i) => row(c, i, field.columns, `${path}-c-${i}`)));
      box.querySelector(".add-column").addEventListener("click", () => {
        field.columns.push(blank(freshName(field.columns, "column")));
        render();
        list.children[index].querySelector(".columns").lastElementChild.querySelector(".title").focus();
      });
    }
    return node;
  };
  const render = () => {
    list.replaceChildren(...model.fields.map((f, i) => row(f, i, model.fields, String(i))));
    preview();
  };

  document.getElementById("form-title-fa").value = model.title.fa || "";
  document.getElementById("form-title-en").value = model.title.en || "";
  ["form-title-fa", "form-title-en"].forEach((id) => document.getElementById(id).addEventListener("input", preview));
  document.getElementById("add-field").addEventListener("click", () => {
    model.fields.push(blank(freshName(model.fields, "field")));
    render();
    list.lastElementChild.querySelector(".title").focus();
  });
  document.getElementById("save-form").addEventListener("click", async () => {
    const problems = document.getElementById("save-problems");
    const show = (items) => {
      problems.replaceChildren(...items.map((p) => Object.assign(document.createElement("li"), { textContent: p })));
      problems.hidden = !items.length;
    };
    try {
      const response = await post(config.saveUrl);
      const body = await response.json();
      show(body.problems || []);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      status.textContent = config.text.saved;
      status.dataset.kind = "ok";
    } catch (err) {
      status.textContent = config.text.failed;
      status.dataset.kind = "error";
    }
  });
  render();
})();
