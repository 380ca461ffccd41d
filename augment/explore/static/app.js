// augment explore: the page. Plain JS, no build step, nothing fetched but this server's API.
// The pipeline lives here as the list of steps the YAML config holds ([{Name: {arg: value}}]);
// every change sends the whole list to /api/render, and the server validates and renders it.
"use strict";

const state = {
  session: null,
  registry: {},
  pipeline: [],
  render: undefined, // synth's render options (synth explore only)
  seed: 0,
  copies: 4,
  results: [],
};
let inFlight = false;
let pending = false;
let selectedTask = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) throw data.error || { message: `HTTP ${response.status}` };
  return data;
}

// ---- the step list and its controls -------------------------------------------------------
// A step is {Name: {argument: value}}, edited in place. Every card and control carries the
// field path the server names in its errors (pipeline[2].Maybe.transform.Rotate.degrees), so
// an error lands beside the control it is about, however deep the step is nested.

function stepName(step) { return Object.keys(step)[0]; }
function stepArgs(step) { return step[stepName(step)]; }

function newStep(name) {
  const info = state.registry[name];
  const args = structuredClone(info.defaults);
  const leaf = firstLeafName();
  for (const control of info.controls) {
    if (control.name === "transform" && !(control.name in args)) args.transform = newStep(leaf);
    if (control.name === "transforms" && !(control.name in args)) args.transforms = [newStep(leaf)];
  }
  return { [name]: args };
}

function firstLeafName() {
  return Object.keys(state.registry).find((n) => state.registry[n].kind !== "any");
}

function normalise(step) {
  // A bare name (YAML `- Invert`) becomes {Invert: {}}, nested steps too.
  if (typeof step === "string") return { [step]: {} };
  const name = stepName(step);
  const args = step[name] || {};
  if (args.transform) args.transform = normalise(args.transform);
  if (Array.isArray(args.transforms)) args.transforms = args.transforms.map(normalise);
  return { [name]: args };
}

function renderSteps() {
  state.pipeline = state.pipeline.map(normalise);
  $("steps").replaceChildren(...stepList(state.pipeline, (i) => `pipeline[${i}]`));
  if (state.render) renderOptions();
}

function renderOptions() {
  // synth explore: the `render:` options of synth.yaml, as one card of controls.
  $("render-panel").hidden = false;
  const card = el("li", { class: "step", "data-name": "render", "data-field": "render" });
  for (const control of state.session.render_controls) {
    card.append(controlFor(state.render, control, `render.${control.name}`));
  }
  card.append(el("span", { class: "error" }));
  $("render-options").replaceChildren(card);
}

function stepList(steps, where) {
  return steps.map((step, index) => stepCard(step, where(index), {
    up: () => moveItem(steps, index, -1),
    down: () => moveItem(steps, index, 1),
    remove: () => { steps.splice(index, 1); changed(); },
  }));
}

function stepCard(step, where, actions) {
  const name = stepName(step);
  const info = state.registry[name] || { doc: "", controls: [], defaults: {} };
  const args = stepArgs(step);
  const head = el("div", { class: "step-head" }, el("strong", {}, name));
  if (actions) {
    head.append(
      el("button", { type: "button", title: "move up", class: "up", onclick: actions.up }, "↑"),
      el("button", { type: "button", title: "move down", class: "down", onclick: actions.down }, "↓"),
      el("button", { type: "button", title: "remove", class: "remove", onclick: actions.remove }, "✕"));
  }
  const card = el("li", { class: "step", "data-name": name, "data-field": where }, head,
    el("div", { class: "doc" }, info.doc));
  for (const control of info.controls) {
    if (!(control.name in args) && control.name in info.defaults) {
      args[control.name] = structuredClone(info.defaults[control.name]);
    }
    card.append(controlFor(args, control, `${where}.${name}.${control.name}`));
  }
  card.append(el("span", { class: "error" }));
  return card;
}

function controlFor(args, control, field) {
  const wrap = el("div", { class: "control", "data-arg": control.name, "data-field": field },
    el("label", {}, control.name));
  const set = (v) => { args[control.name] = v; scheduleRender(); };
  const value = args[control.name];
  let editor;
  if (control.name === "transform" && value && typeof value === "object" && !Array.isArray(value)) {
    editor = nestedStep(args, field);
  } else if (control.name === "transforms" && Array.isArray(value)) {
    editor = nestedSteps(value, field);
  } else {
    const builders = { range: rangeControl, number: numberControl, p: numberControl,
      bool: boolControl, choice: choiceControl, choices: choicesControl, text: textControl };
    editor = (builders[control.type] || jsonControl)(control, value, set);
  }
  wrap.append(editor, el("span", { class: "error" }));
  return wrap;
}

function stepPicker(current, onpick) {
  const select = el("select", { class: "step-type", "aria-label": "transform" },
    ...Object.keys(state.registry).filter((n) => n !== "Sequence")
      .map((n) => el("option", { value: n }, n)));
  select.value = current;
  select.addEventListener("change", () => onpick(select.value));
  return select;
}

function nestedStep(args, field) {
  const picker = stepPicker(stepName(args.transform), (name) => {
    args.transform = newStep(name);
    changed();
  });
  return el("div", { class: "nested" }, picker, el("ol", {}, stepCard(args.transform, field, null)));
}

function nestedSteps(steps, field) {
  const add = stepPicker(firstLeafName(), () => {});
  const button = el("button", { type: "button", class: "add-nested", onclick: () => {
    steps.push(newStep(add.value));
    changed();
  } }, "add");
  return el("div", { class: "nested" },
    el("ol", {}, ...stepList(steps, (i) => `${field}[${i}]`)), el("div", {}, add, button));
}

function numberInput(control, value, onchange) {
  const input = el("input", { type: "number", step: control.step ?? "any" });
  input.value = value;
  input.addEventListener("change", () => {
    const x = Number(input.value);
    onchange(input.value.trim() === "" || Number.isNaN(x) ? input.value : x);
  });
  return input;
}

function slider(control, value, cls) {
  const [lo, hi] = control.slider;
  const input = el("input", { type: "range", class: cls, min: Math.min(lo, value),
    max: Math.max(hi, value), step: control.step, "aria-label": `${control.name} ${cls}` });
  input.value = value;
  return input;
}

function rangeControl(control, value, set) {
  let [low, high] = Array.isArray(value) ? value : [value, value];
  const lo = slider(control, low, "lo");
  const hi = slider(control, high, "hi");
  const loBox = numberInput(control, low, (x) => { low = x; sync(); });
  const hiBox = numberInput(control, high, (x) => { high = x; sync(); });
  loBox.classList.add("lo-value");
  hiBox.classList.add("hi-value");
  function sync() { set([low, high]); }
  lo.addEventListener("input", () => {
    low = Math.min(Number(lo.value), high); lo.value = low; loBox.value = low; sync();
  });
  hi.addEventListener("input", () => {
    high = Math.max(Number(hi.value), low); hi.value = high; hiBox.value = high; sync();
  });
  return el("div", { class: "slider-row" }, loBox, el("div", { class: "dual" }, lo, hi), hiBox);
}

function numberControl(control, value, set) {
  const range = slider(control, value, "single");
  const box = numberInput(control, value, (x) => { if (typeof x === "number") range.value = x; set(x); });
  range.addEventListener("input", () => { box.value = range.value; set(Number(range.value)); });
  return el("div", { class: "slider-row" }, range, box);
}

function boolControl(control, value, set) {
  const box = el("input", { type: "checkbox" });
  box.checked = Boolean(value);
  box.addEventListener("change", () => set(box.checked));
  return box;
}

function choiceControl(control, value, set) {
  const select = el("select", {}, ...control.choices.map((c) => el("option", { value: c }, String(c))));
  select.value = value;
  select.addEventListener("change", () => set(select.value));
  return select;
}

function choicesControl(control, value, set) {
  const chosen = new Set(value || []);
  const boxes = control.choices.map((c) => {
    const box = el("input", { type: "checkbox", value: c });
    box.checked = chosen.has(c);
    box.addEventListener("change", () => set(boxes.filter((b) => b.checked).map((b) => b.value)));
    return box;
  });
  return el("div", { class: "choices" },
    ...boxes.map((box) => el("label", {}, box, ` ${box.value}`)));
}

function textControl(control, value, set) {
  const input = el("input", { type: "text", class: "text" });
  input.value = value;
  input.addEventListener("change", () => set(input.value));
  return input;
}

function jsonControl(control, value, set) {
  // Mappings, lists of names, optional paths: edited as JSON (which YAML also reads).
  const area = el("textarea", { rows: 2, placeholder: "JSON, e.g. [\"a\", \"b\"] or null" });
  area.value = value === undefined ? "" : JSON.stringify(value);
  area.addEventListener("change", () => {
    const error = area.parentElement.querySelector(":scope > .error");
    if (area.value.trim() === "") { set(null); return; }
    try { set(JSON.parse(area.value)); } catch (err) { error.textContent = `not JSON: ${err.message}`; }
  });
  return area;
}

function moveItem(list, index, delta) {
  const target = index + delta;
  if (target < 0 || target >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(target, 0, item);
  changed();
}

function changed() {
  renderSteps();
  scheduleRender();
}

function addStep() {
  state.pipeline.push(newStep($("add-name").value));
  changed();
}

// ---- rendering ----------------------------------------------------------------------------

function scheduleRender() {
  if (inFlight) { pending = true; return; }
  render();
}

async function render() {
  inFlight = true;
  pending = false;
  const started = performance.now();
  try {
    const data = await api("/api/render", requestBody());
    clearErrors();
    state.results = data.copies;
    showCopies();
    const ms = Math.round(performance.now() - started);
    setStatus(`${data.copies.length} copies in ${ms} ms`, false);
  } catch (error) {
    showError(error);
  } finally {
    inFlight = false;
    if (pending) render();
  }
}

function requestBody() {
  return { pipeline: state.pipeline, render: state.render, seed: state.seed, copies: state.copies };
}

function clearErrors() {
  for (const node of document.querySelectorAll(".error")) node.textContent = "";
  for (const node of document.querySelectorAll(".bad")) node.classList.remove("bad");
}

function showError(error) {
  clearErrors();
  const message = error.message || String(error);
  setStatus(message, true);
  if (error.field === "seed" || error.field === "copies") {
    $(error.field).classList.add("bad");
    return;
  }
  const target = closestField(error.field || "");
  if (!target) return;
  target.classList.add("bad");
  target.querySelector(":scope > .error").textContent = message;
  const card = target.closest(".step");
  if (card) card.classList.add("bad");
}

function closestField(field) {
  // The card or control whose field path is the longest prefix of the error's field.
  let best = null;
  for (const node of document.querySelectorAll("[data-field]")) {
    const own = node.dataset.field;
    const prefix = field === own || (field.startsWith(own) && ".[".includes(field[own.length]));
    if (prefix && (!best || own.length > best.dataset.field.length)) best = node;
  }
  return best;
}

function setStatus(text, bad) {
  $("status").textContent = text;
  $("status").classList.toggle("bad", bad);
}

function originalCell(input) {
  const caption = el("div", { class: "caption", title: input.path },
    input.label ? `${input.label}: ${input.name}` : input.name);
  if (state.session.kind === "synth") {
    return el("div", { class: "cell original" }, el("div", { class: "glyph" }, input.name),
      el("div", { class: "caption" }, `U+${input.name.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`));
  }
  if (state.session.kind === "image") {
    return el("div", { class: "cell original" }, el("img", { src: `/files/${encodePath(input.path)}`, alt: input.name }), caption);
  }
  return el("div", { class: "cell original" },
    el("img", { src: `/api/spectrogram/${input.index}`, alt: `spectrogram of ${input.name}` }),
    el("audio", { controls: "", preload: "auto", src: `/files/${encodePath(input.path)}` }), caption);
}

function encodePath(path) { return path.split("/").map(encodeURIComponent).join("/"); }

function showCopies() {
  const grid = $("grid");
  grid.replaceChildren();
  for (const input of state.session.inputs) {
    const row = el("div", { class: `row ${state.session.kind}`, "data-input": input.index }, originalCell(input));
    for (const copy of state.results.filter((c) => c.input === input.index)) {
      const img = el("img", { src: copy.image, alt: `copy ${copy.copy}`, "data-task": copy.task,
        class: copy.task === selectedTask ? "selected" : "" });
      img.addEventListener("click", () => selectCopy(copy, input));
      const cell = el("div", { class: "cell copy", "data-task": copy.task }, img);
      if (copy.audio) cell.append(el("audio", { controls: "", preload: "auto", src: copy.audio }));
      cell.append(el("div", { class: "caption" }, `task ${copy.task}`));
      row.append(cell);
    }
    grid.append(row);
  }
  const still = state.results.find((c) => c.task === selectedTask);
  if (still) showParams(still, state.session.inputs.find((i) => i.index === still.input));
}

function selectCopy(copy, input) {
  selectedTask = copy.task;
  for (const img of document.querySelectorAll(".copy img")) {
    img.classList.toggle("selected", Number(img.dataset.task) === copy.task);
  }
  showParams(copy, input);
}

function showParams(copy, input) {
  $("params-title").textContent = `${input.name}, copy ${copy.copy} (task ${copy.task}, seed ${state.seed})`;
  $("params").textContent = JSON.stringify(copy.params, null, 2);
}

// ---- export and load ----------------------------------------------------------------------

async function exportYaml() {
  try {
    const data = await api("/api/export", requestBody());
    $("yaml-out").value = data.yaml;
    $("command").textContent = state.session.command
      .replace("{seed}", state.seed).replace("{copies}", state.copies);
    const link = $("download");
    link.href = URL.createObjectURL(new Blob([data.yaml], { type: "application/yaml" }));
    link.hidden = false;
  } catch (error) {
    showError(error);
  }
}

async function loadYaml() {
  $("load-error").textContent = "";
  try {
    const data = await api("/api/import", { yaml: $("yaml-in").value });
    state.pipeline = data.pipeline;
    if (data.render) state.render = data.render;
    renderSteps();
    scheduleRender();
  } catch (error) {
    $("load-error").textContent = error.message || String(error);
  }
}

async function loadFile() {
  const file = $("yaml-file").files[0];
  if (!file) return;
  $("yaml-in").value = await file.text();
  loadYaml();
}

// ---- start --------------------------------------------------------------------------------

function intFrom(input, fallback) {
  const x = Number(input.value);
  return Number.isInteger(x) ? x : input.value === "" ? fallback : input.value;
}

async function start() {
  state.session = await api("/api/session");
  state.registry = await api("/api/registry");
  state.pipeline = state.session.pipeline;
  state.render = state.session.render;
  if (state.session.kind === "synth") $("download").setAttribute("download", "synth.yaml");
  state.seed = state.session.seed;
  state.copies = state.session.copies;
  $("in-dir").textContent = state.session.in_dir;
  if (state.session.kind === "synth") $("title").textContent = "synth explore";
  $("seed").value = state.seed;
  $("copies").value = state.copies;
  $("add-name").replaceChildren(...Object.keys(state.registry).map((n) => el("option", { value: n }, n)));
  $("add").addEventListener("click", addStep);
  $("seed").addEventListener("change", () => { state.seed = intFrom($("seed"), 0); scheduleRender(); });
  $("copies").addEventListener("change", () => { state.copies = intFrom($("copies"), 1); scheduleRender(); });
  $("reroll").addEventListener("click", () => {
    state.seed = Math.floor(Math.random() * 2 ** 31);
    $("seed").value = state.seed;
    scheduleRender();
  });
  $("export").addEventListener("click", exportYaml);
  $("load").addEventListener("click", loadYaml);
  $("yaml-file").addEventListener("change", loadFile);
  renderSteps();
  render();
}

start().catch((error) => setStatus(`cannot start: ${error.message || error}`, true));
