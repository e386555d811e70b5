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
      .then(function (r) {
        var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return r.ok && json ? r.json() : { options: [] };
      })
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

  // A form field that takes a subdistrict code (the proposal's area): three selects by name take
  // its place, and the chosen subdistrict's code goes into the field. Without script the field
  // stays as it was, a code typed by hand.
  var th = (document.documentElement.lang || "th").indexOf("th") === 0;
  var LABELS = th ? { province: "จังหวัด", district: "อำเภอ/เขต", subdistrict: "ตำบล/แขวง", choose: "— เลือก —" }
                  : { province: "Province", district: "District", subdistrict: "Subdistrict", choose: "— choose —" };
  var OPTIONS_URL = "/area-options/";

  function pickerFor(input) {
    var box = document.createElement("div");
    box.className = "area-cascade";
    box.setAttribute("role", "group");
    var selects = {};
    ["province", "district", "subdistrict"].forEach(function (level) {
      var id = input.id + "-" + level;
      var wrap = document.createElement("div");
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = LABELS[level];
      var select = document.createElement("select");
      select.id = id;
      select.setAttribute("data-area-level", level);
      select.setAttribute("data-area-options", OPTIONS_URL);
      select.add(new Option(LABELS.choose, ""));
      if (input.required) select.required = true;
      wrap.appendChild(label);
      wrap.appendChild(select);
      box.appendChild(wrap);
      selects[level] = select;
    });
    var current = (input.value || "").trim();
    input.type = "hidden";
    var own = document.querySelector('label[for="' + input.id + '"]');
    if (own) own.hidden = true;
    input.insertAdjacentElement("afterend", box);

    selects.province.addEventListener("change", function () {
      clear(selects.subdistrict); input.value = "";
      fill(selects.district, selects.province.value);
    });
    selects.district.addEventListener("change", function () {
      input.value = "";
      fill(selects.subdistrict, selects.district.value);
    });
    selects.subdistrict.addEventListener("change", function () { input.value = selects.subdistrict.value; });

    // Open on the code already there (an edited proposal, a form sent back), else on the one
    // province or subdistrict a person in a single area has.
    fill(selects.province, "").then(function () {
      var province = /^\d{6}$/.test(current) ? current.slice(0, 2)
        : (selects.province.options.length === 2 ? selects.province.options[1].value : "");
      if (!province) return;
      selects.province.value = province;
      return fill(selects.district, province).then(function () {
        var district = /^\d{6}$/.test(current) ? current.slice(0, 4)
          : (selects.district.options.length === 2 ? selects.district.options[1].value : "");
        if (!district) return;
        selects.district.value = district;
        return fill(selects.subdistrict, district).then(function () {
          var sub = /^\d{6}$/.test(current) ? current
            : (selects.subdistrict.options.length === 2 ? selects.subdistrict.options[1].value : "");
          selects.subdistrict.value = sub;
          input.value = selects.subdistrict.value;
        });
      });
    });
  }

  // Only fields that ask for it: the options come from the signed-in user's scope, so a public
  // form (the feedback report) keeps its own code, postal-code and map entry.
  document.querySelectorAll('input[name="subdistrict_code"][data-area-picker]').forEach(pickerFor);
})();
