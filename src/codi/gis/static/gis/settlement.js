/* One settlement's geometry on a small map (no tiles: nothing leaves the site). */
(function () {
  "use strict";
  var el = document.getElementById("settlement-map");
  if (!el || !window.L) { return; }
  var geometry = JSON.parse(document.getElementById("settlement-geometry").textContent);
  var map = L.map(el);
  var layer = L.geoJSON(geometry, { style: { color: "#e6550d", weight: 2 } }).addTo(map);
  if (geometry.type === "Point") { map.setView(layer.getBounds().getCenter(), 15); } else { map.fitBounds(layer.getBounds()); }
  el.setAttribute("data-ready", "true");
})();
