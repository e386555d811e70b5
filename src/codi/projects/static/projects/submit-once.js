/* A form marked data-submit-once sends once: its button is disabled on submit (no double payment). */
(function () {
  document.querySelectorAll('form[data-submit-once]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var button = form.querySelector('button');
      if (button) { button.disabled = true; }
    });
  });
})();
