// "Try it": send the text to POST /api/extract and show the events. Only textContent is used
// to display results: the article and everything extracted from it are untrusted.
(function () {
  "use strict";
  const form = document.getElementById("try-form");
  if (!form) return;
  const text = document.getElementById("try-text");
  const file = document.getElementById("try-file");
  const drop = document.getElementById("drop");
  const status = document.getElementById("try-status");
  const table = document.getElementById("try-events");
  const save = document.getElementById("try-save");
  const max = parseInt(form.dataset.max, 10);

  function readFile(f) {
    if (f.size > max) { status.textContent = "The file is larger than " + max + " bytes."; return; }
    const reader = new FileReader();
    reader.onload = function () { text.value = reader.result; };
    reader.readAsText(f);
  }
  file.addEventListener("change", function () { if (file.files[0]) readFile(file.files[0]); });
  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault(); drop.classList.remove("over");
    if (e.dataTransfer.files[0]) readFile(e.dataTransfer.files[0]);
  });

  function cell(row, value) {
    const td = document.createElement("td");
    td.textContent = value == null ? "" : String(value);
    row.appendChild(td);
  }
  function actor(a) { return a ? (a.code || a.text || "") : ""; }

  form.addEventListener("submit", async function (e) {
    e.preventDefault();
    const body = { text: text.value, save: !!(save && save.checked) };
    const title = document.getElementById("try-title").value;
    const published = document.getElementById("try-published").value;
    if (title) body.title = title;
    if (published) body.published = published;
    status.textContent = "Extracting…";
    let response;
    try {
      response = await fetch("/api/extract", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (err) { status.textContent = "Request failed: " + err; return; }
    const data = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      const detail = typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
      status.textContent = "Error " + response.status + ": " + detail;
      return;
    }
    const events = data.record.events || [];
    const tbody = table.querySelector("tbody");
    tbody.replaceChildren();
    for (const ev of events) {
      const row = document.createElement("tr");
      row.className = "q" + ev.quad_class;
      cell(row, ev.sentence_index); cell(row, actor(ev.source)); cell(row, ev.cameo);
      cell(row, actor(ev.target)); cell(row, ev.modality); cell(row, ev.trigger && ev.trigger.text);
      tbody.appendChild(row);
    }
    table.hidden = events.length === 0;
    status.textContent = events.length + " event" + (events.length === 1 ? "" : "s") + " found" +
      (data.saved ? "; saved (" + data.saved.new + " new article)." : "; nothing was saved.");
  });
})();
