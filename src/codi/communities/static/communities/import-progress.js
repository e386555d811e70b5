/* An import that is still running: ask the server where it is every two seconds, reload when done.
   The URL and the "saving" label come from data- attributes (no inline script: the CSP forbids it). */
(function () {
  var box = document.getElementById('job');
  if (!box || box.getAttribute('data-running') !== '1') { return; }
  var url = box.getAttribute('data-progress-url');
  var savingLabel = box.getAttribute('data-saving-label') || '';
  function fmt(n) { return (n || 0).toLocaleString('th-TH'); }
  function tick() {
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (!s.running) { window.location.reload(); return; }
        document.getElementById('job-status').textContent = s.status_label;
        var bar = document.getElementById('job-progress');
        bar.value = s.percent; bar.textContent = s.percent + '%';
        document.getElementById('job-count').textContent = fmt(s.processed) + (s.total ? ' / ' + fmt(s.total) : '');
        document.getElementById('job-phase').textContent = s.phase === 'writing' ? savingLabel : '';
        window.setTimeout(tick, 2000);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1500);
})();
