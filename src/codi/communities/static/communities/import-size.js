/* Refuse a file over the size limit before it is uploaded; the limit comes from data-max-bytes. */
(function () {
  var form = document.getElementById('import-form');
  var input = form && form.querySelector('input[type=file]');
  var error = document.getElementById('size-error');
  var button = document.getElementById('import-submit');
  if (!input) { return; }
  var limit = parseInt(form.getAttribute('data-max-bytes'), 10);
  input.addEventListener('change', function () {
    var big = input.files.length > 0 && input.files[0].size > limit;
    error.hidden = !big; button.disabled = big;
  });
})();
