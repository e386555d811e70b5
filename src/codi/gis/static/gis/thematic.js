/* The thematic map: boundaries from the GeoJSON endpoint, each area coloured by its class
   (grey where it has no value), optional graduated circles. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("thematic-config").textContent);
  var el = document.getElementById("thematic-map");
  var status = document.getElementById("thematic-status");
  var toggle = document.getElementById("t-symbols");
  if (!el || !window.L) { return; }
  var locale = cfg.lang === "en" ? "en-US" : "th-TH";
  function fmt(value) { return Number(value).toLocaleString(locale, { maximumFractionDigits: 2 }); }
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false).addAttribution("OCHA / RTSD (CC BY-IGO)");
  map.setView([13.2, 101.0], 5);
  var symbols = L.layerGroup();
  Object.keys(cfg.features).forEach(function (code) {
    var f = cfg.features[code];  // [class, value, lon, lat, radius]
    if (f[2] === null || f[4] <= 0) { return; }
    L.circleMarker([f[3], f[2]], {
      radius: f[4], color: "#7f2704", weight: 1, fillColor: cfg.symbolColor, fillOpacity: 0.7
    }).bindTooltip(fmt(f[1]) + " " + escapeHtml(cfg.unit)).addTo(symbols);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) { symbols.addTo(map); } else { map.removeLayer(symbols); }
    });
  }
  fetch(cfg.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
    .then(function (collection) {
      var many = collection.features.length > 2500;
      var layer = L.geoJSON(collection, {
        renderer: many ? L.canvas({ padding: 0.2 }) : L.svg(),
        style: function (feature) {
          var f = cfg.features[feature.properties.code];
          return {
            color: "#4d5a53", weight: many ? 0.4 : 0.8, fillOpacity: 0.85,
            fillColor: f ? cfg.colors[f[0]] : cfg.noDataColor
          };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          var f = cfg.features[p.code];
          var name = cfg.lang === "en" && p.name_en ? p.name_en : p.name_th;
          shape.bindTooltip(escapeHtml(name) + ": " + (f ? fmt(f[1]) + " " + escapeHtml(cfg.unit) : escapeHtml(cfg.text.noData)));
        }
      }).addTo(map);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
      status.textContent = cfg.text.loaded;
    })
    .catch(function () { status.textContent = cfg.text.failed; });
})();
