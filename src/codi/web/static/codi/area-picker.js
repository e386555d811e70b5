// Cascading area selects: a change at one level refills the levels below it from /area-options/.
// Without this script the form still works: the server fills each level from the choice above it.
(function () {
  "use strict";
  var ORDER = ["region", "province", "district", "subdistrict"];

  function selectsIn(form) {
    var found = {};
    form.querySelectorAll("select[data-area-level]").forEach(function (el) {
      found[el.getAttribute("data-area-level")] = el;
    });
    return found;
  }

  function clear(select) {
    while (select.options.length > 1) select.remove(1);
    select.value = "";
  }

  function fill(select, parent) {
    clear(select);
    var level = select.getAttribute("data-area-level");
    if (!parent && level !== "province") return Promise.resolve();
    var url = select.getAttribute("data-area-options") + "?level=" + encodeURIComponent(level) +
      "&parent=" + encodeURIComponent(parent || "");
    select.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { options: [] }; })
      .then(function (data) {
        data.options.forEach(function (o) { select.add(new Option(o.name, o.code)); });
      })
      .finally(function () { select.removeAttribute("aria-busy"); });
  }

  function wire(form) {
    var selects = selectsIn(form);
    ORDER.forEach(function (level, i) {
      var el = selects[level];
      if (!el) return;
      el.addEventListener("change", function () {
        // The next level present in the form takes its options from this one; those below it empty.
        var below = ORDER.slice(i + 1).filter(function (l) { return selects[l]; });
        if (!below.length) return;
        below.slice(1).forEach(function (l) { clear(selects[l]); });
        fill(selects[below[0]], el.value);
      });
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (form.querySelector("select[data-area-level]")) wire(form);
  });
})();
