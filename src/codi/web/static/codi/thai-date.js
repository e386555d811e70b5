// Thai Buddhist-Era date entry over <input type="date">: the person reads and types วว/ดด/ปปปป
// (พ.ศ.), the form still sends ISO (yyyy-mm-dd) under the field's own name. Without this script the
// browser's own date input is used, so nothing depends on it.
(function () {
  "use strict";
  var BE = 543;
  var th = (document.documentElement.lang || "th").indexOf("th") === 0;
  var TEXT = th
    ? { hint: "วว/ดด/ปปปป (พ.ศ.)", bad: "วันที่ไม่ถูกต้อง: พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น 25/11/2569", early: "วันที่ต้องไม่ก่อน ", late: "วันที่ต้องไม่หลัง " }
    : { hint: "dd/mm/yyyy (B.E.)", bad: "Not a valid date: type day/month/Buddhist-Era year, e.g. 25/11/2569", early: "The date may not be before ", late: "The date may not be after " };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // ISO yyyy-mm-dd → dd/mm/yyyy in the Buddhist Era ("" when empty or malformed).
  function toThai(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + (parseInt(m[1], 10) + BE) : "";
  }

  // dd/mm/yyyy (B.E.; also d.m.yyyy or d-m-yyyy) → ISO, or null when it is no real date.
  function toIso(text) {
    var m = /^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})\s*$/.exec(text || "");
    if (!m) return null;
    var day = parseInt(m[1], 10), month = parseInt(m[2], 10), year = parseInt(m[3], 10) - BE;
    if (year < 1900 || year > 2200) return null;
    var d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
    return year + "-" + pad(month) + "-" + pad(day);
  }

  function enhance(original) {
    if (original.dataset.thaiDate === "done") return;
    original.dataset.thaiDate = "done";
    var shown = document.createElement("input");
    shown.type = "text";
    shown.inputMode = "numeric";
    shown.autocomplete = "off";
    shown.className = (original.className + " thai-date").trim();
    shown.placeholder = TEXT.hint;
    shown.value = toThai(original.value);
    shown.required = original.required;
    shown.disabled = original.disabled;
    shown.setAttribute("data-thai-date-for", original.name);
    ["aria-invalid", "aria-describedby"].forEach(function (a) {
      if (original.hasAttribute(a)) shown.setAttribute(a, original.getAttribute(a));
    });
    // The label points at the field the person types in.
    if (original.id) { shown.id = original.id; original.id = original.id + "-iso"; }
    original.type = "hidden";
    original.insertAdjacentElement("afterend", shown);
    var hint = document.createElement("span");
    hint.className = "help thai-date-hint";
    hint.textContent = TEXT.hint;
    hint.id = (shown.id || original.name) + "-hint";
    shown.setAttribute("aria-describedby", ((shown.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
    shown.insertAdjacentElement("afterend", hint);

    function sync() {
      var text = shown.value.trim();
      if (!text) { original.value = ""; shown.setCustomValidity(""); return; }
      var iso = toIso(text);
      var message = "";
      if (!iso) message = TEXT.bad;
      else if (original.min && iso < original.min) message = TEXT.early + toThai(original.min);
      else if (original.max && iso > original.max) message = TEXT.late + toThai(original.max);
      shown.setCustomValidity(message);
      original.value = message ? "" : iso;
    }
    shown.addEventListener("input", sync);
    shown.addEventListener("change", function () {
      sync();
      if (!shown.validationMessage) shown.value = toThai(original.value) || shown.value;
    });
    if (shown.form) shown.form.addEventListener("submit", sync);
  }

  document.querySelectorAll('input[type="date"]').forEach(enhance);
  window.codiThaiDate = { toThai: toThai, toIso: toIso };
})();
