// "Someone asked this before": while a question is typed on the board, list the questions already
// asked that mean the same (the server decides: by meaning, or by words while vectors are being made).
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var box = document.getElementById("asked-before-live");
  if (!form || !box || !window.fetch) { return; }
  var input = form.querySelector('input[name="title"]');
  var timer = null;
  var asked = "";
  function show(questions) {
    box.textContent = "";
    if (!questions.length) { box.hidden = true; return; }
    var heading = document.createElement("strong");
    heading.textContent = box.dataset.heading;
    var list = document.createElement("ul");
    questions.forEach(function (q) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = q.url;
      link.textContent = q.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = input.value.trim();
      if (text.length < 8 || text === asked) { return; }
      asked = text;
      fetch(form.dataset.similarUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { questions: [] }; })
        .then(function (data) { if (asked === text) { show(data.questions); } })
        .catch(function () { box.hidden = true; });
    }, 600);
  });
})();
