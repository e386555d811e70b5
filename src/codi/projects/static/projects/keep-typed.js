/* After a refused save or a failed upload the server sends back what was typed; put it in the fields. */
(function () {
  var el = document.getElementById("post-values");
  if (!el) { return; }
  var values = JSON.parse(el.textContent);
  Object.keys(values).forEach(function (name) {
    var field = document.getElementsByName(name)[0];
    if (field && field.type !== "file" && field.type !== "checkbox" && !field.value) { field.value = values[name]; }
  });
})();
