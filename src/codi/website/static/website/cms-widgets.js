// Wagtail's date and time pickers without inline scripts (the platform's CSP refuses them):
// each widget leaves a <template data-codi-init> with its id and settings; this starts it.
(function () {
  function start(root) {
    root.querySelectorAll("template[data-codi-init]:not([data-started])").forEach(function (node) {
      var init = window[node.dataset.codiInit];
      if (typeof init !== "function") return;
      node.dataset.started = "1";
      init(node.dataset.id, JSON.parse(node.dataset.config || "{}"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    start(document);
    new MutationObserver(function () { start(document); }).observe(document.body, { childList: true, subtree: true });
  });
})();
