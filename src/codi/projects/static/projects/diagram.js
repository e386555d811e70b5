/* Draws the project's BPMN process with bpmn-js (vendored) and marks the current and completed steps. */
(function () {
  var holder = document.getElementById("diagram");
  var stateEl = document.getElementById("diagram-state");
  if (!holder || !stateEl || !window.BpmnJS) { return; }
  var state = JSON.parse(stateEl.textContent);
  var viewer = new window.BpmnJS({ container: holder });
  fetch(holder.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      state.completed.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "completed"); } });
      state.current.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "current"); } });
      canvas.zoom("fit-viewport");
      holder.dataset.current = state.current.join(" ");
      holder.dataset.ready = "1";
    })
    .catch(function (err) { holder.textContent = holder.dataset.error; holder.dataset.ready = "error"; console.error(err); });
})();
