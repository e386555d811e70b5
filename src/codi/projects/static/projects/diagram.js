/* Draws the project's BPMN process with bpmn-js (vendored), lights the current and completed steps,
   and makes the drawing usable on a phone: the diagram sits in a box that scrolls with a finger (its
   natural size at the chosen zoom), with buttons to zoom in, zoom out, fit, and go to the current
   step. Labels are drawn and measured in the bundled Sarabun, so Thai never falls back to boxes. */
(function () {
  "use strict";
  var holder = document.getElementById("diagram");
  var stateEl = document.getElementById("diagram-state");
  if (!holder || !stateEl || !window.BpmnJS) { return; }
  var state = JSON.parse(stateEl.textContent);
  var th = (document.documentElement.lang || "th").indexOf("th") === 0;
  var T = th
    ? { zoomIn: "ขยาย", zoomOut: "ย่อ", fit: "พอดีกรอบ", current: "ไปที่ขั้นตอนปัจจุบัน", tools: "เครื่องมือแผนภาพ", box: "แผนภาพขั้นตอน เลื่อนดูได้" }
    : { zoomIn: "Zoom in", zoomOut: "Zoom out", fit: "Fit", current: "Go to the current step", tools: "Diagram tools", box: "Process diagram, scrollable" };
  // The process files name each shape "ไทย (English)": show the Thai, or the English once the person
  // has switched to English. A bracket holding Thai ("as-is, เอกสารกระดาษ") is part of the name.
  var THAI = /[\u0E00-\u0E7F]/;
  function label(name) {
    var m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name);
    if (!m || !THAI.test(m[1]) || THAI.test(m[2]) || !/[A-Za-z]/.test(m[2])) { return name; }
    return th ? m[1] : m[2];
  }
  function oneLanguage(xml) {
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) { return xml; }
    doc.querySelectorAll("[name]").forEach(function (el) { el.setAttribute("name", label(el.getAttribute("name"))); });
    return new XMLSerializer().serializeToString(doc);
  }
  var FONT = "Sarabun, 'Noto Sans Thai', sans-serif";
  var PAD = 20;

  // The scrolling box around the drawing, and the buttons above it.
  var box = document.createElement("div");
  box.className = "diagram-scroll";
  box.tabIndex = 0;  // arrow keys scroll it
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", T.box);
  holder.parentNode.insertBefore(box, holder);
  box.appendChild(holder);
  var tools = document.createElement("div");
  tools.className = "diagram-tools";
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", T.tools);
  box.parentNode.insertBefore(tools, box);
  function button(text, name, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = text;
    b.setAttribute("data-diagram", name);
    b.addEventListener("click", handler);
    tools.appendChild(b);
    return b;
  }

  var viewer = new window.BpmnJS({
    container: holder,
    textRenderer: { defaultStyle: { fontFamily: FONT, fontSize: 12 }, externalStyle: { fontFamily: FONT, fontSize: 12 } }
  });
  var inner = null;
  var scale = 1;

  function draw() {
    var canvas = viewer.get("canvas");
    holder.style.width = Math.ceil((inner.width + 2 * PAD) * scale) + "px";
    holder.style.height = Math.ceil((inner.height + 2 * PAD) * scale) + "px";
    canvas.resized();
    canvas.viewbox({ x: inner.x - PAD, y: inner.y - PAD, width: inner.width + 2 * PAD, height: inner.height + 2 * PAD });
    holder.dataset.scale = scale.toFixed(2);
  }
  function fitScale() {
    var byWidth = (box.clientWidth - 4) / (inner.width + 2 * PAD);
    // On a phone, fitting the whole process makes its labels unreadable: keep them legible and scroll.
    return Math.min(1, Math.max(byWidth, window.innerWidth < 600 ? 0.75 : 0.3));
  }
  function zoom(factor) {
    var cx = (box.scrollLeft + box.clientWidth / 2) / scale;
    var cy = (box.scrollTop + box.clientHeight / 2) / scale;
    scale = Math.min(2, Math.max(0.3, scale * factor));
    draw();
    box.scrollLeft = cx * scale - box.clientWidth / 2;
    box.scrollTop = cy * scale - box.clientHeight / 2;
  }
  function showCurrent() {
    var registry = viewer.get("elementRegistry");
    var el = state.current.length ? registry.get(state.current[0]) : null;
    if (!el) { return; }
    box.scrollLeft = (el.x + el.width / 2 - inner.x + PAD) * scale - box.clientWidth / 2;
    box.scrollTop = (el.y + el.height / 2 - inner.y + PAD) * scale - box.clientHeight / 2;
  }

  var ready = document.fonts && document.fonts.load ? document.fonts.load("12px Sarabun").catch(function () {}) : Promise.resolve();
  ready
    .then(function () { return fetch(holder.dataset.src, { credentials: "same-origin" }); })
    .then(function (r) { return r.text(); })
    .then(function (xml) { return viewer.importXML(oneLanguage(xml)); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      state.completed.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "completed"); } });
      state.current.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "current"); } });
      inner = canvas.viewbox().inner;
      scale = fitScale();
      draw();
      button("+", "zoom-in", function () { zoom(1.25); }).setAttribute("aria-label", T.zoomIn);
      button("−", "zoom-out", function () { zoom(0.8); }).setAttribute("aria-label", T.zoomOut);
      button(T.fit, "fit", function () { scale = fitScale(); draw(); showCurrent(); });
      if (state.current.length) { button(T.current, "current", showCurrent); }
      showCurrent();
      holder.dataset.current = state.current.join(" ");
      holder.dataset.ready = "1";
    })
    .catch(function (err) { holder.textContent = holder.dataset.error; holder.dataset.ready = "error"; console.error(err); });
})();
