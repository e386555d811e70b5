/* The choropleth map: boundaries from the GeoJSON endpoint, values from the indicator endpoint,
   optional clustered point layers. No tiles: nothing leaves the site. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("map-config").textContent);
  var el = document.getElementById("choropleth");
  var status = document.getElementById("map-status");
  var COLORS = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
  var ZERO = "#f7f7f7";
  var locale = cfg.lang === "en" ? "en-US" : "th-TH";
  if (!el || !window.L) { return; }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  function fmt(value) { return Number(value).toLocaleString(locale, { maximumFractionDigits: 2 }); }
  function name(props) { return cfg.lang === "en" && props.name_en ? props.name_en : props.name_th; }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  var map = L.map(el, { zoomSnap: 0.25, preferCanvas: false });
  map.attributionControl.setPrefix(false).addAttribution("OCHA / RTSD (CC BY-IGO)");
  map.setView([13.2, 101.0], 5);

  Promise.all([getJSON(cfg.geojsonUrl), cfg.indicatorUrl ? getJSON(cfg.indicatorUrl) : Promise.resolve(null)])
    .then(function (results) { draw(results[0], results[1]); })
    .catch(function () { status.textContent = cfg.text.failed; });

  function classOf(value, breaks) {
    if (value === undefined || value === null || value <= 0) { return -1; }
    for (var i = 0; i < breaks.length; i++) { if (value <= breaks[i]) { return i; } }
    return breaks.length - 1;
  }
  function colorOf(k, breaks) {
    if (k < 0) { return ZERO; }
    // Spread the classes over the palette when there are fewer than five.
    var step = breaks.length > 1 ? (COLORS.length - 1) / (breaks.length - 1) : 0;
    return COLORS[Math.round(k * step) + (breaks.length === 1 ? COLORS.length - 1 : 0)];
  }

  function draw(collection, indicator) {
    var values = indicator ? indicator.values : {};
    var breaks = indicator ? indicator.breaks : [];
    var many = collection.features.length > 2500;
    var layer = L.geoJSON(collection, {
      renderer: many ? L.canvas({ padding: 0.2 }) : L.svg(),
      style: function (feature) {
        var k = classOf(values[feature.properties.code], breaks);
        return {
          color: "#4d5a53", weight: many ? 0.4 : 0.8,
          fillColor: indicator ? colorOf(k, breaks) : "#cfe3d8", fillOpacity: 0.8
        };
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties;
        var value = values[props.code];
        var line = indicator
          ? escapeHtml(cfg.indicatorTitle) + ": " + (value === undefined ? escapeHtml(cfg.text.noData) : escapeHtml(fmt(value)) + (cfg.unit ? " " + escapeHtml(cfg.unit) : ""))
          : escapeHtml(props.code);
        layer.bindTooltip("<strong>" + escapeHtml(name(props)) + "</strong><br>" + line, { sticky: true });
        layer.on("click", function () { window.location.href = cfg.areaUrl.replace("CODE", props.code); });
        layer.on("mouseover", function () { layer.setStyle({ weight: 2.5, color: "#1c2420" }); });
        layer.on("mouseout", function () { layer.setStyle({ weight: many ? 0.4 : 0.8, color: "#4d5a53" }); });
        layer.on("add", function () {
          var path = layer.getElement && layer.getElement();
          if (path) { path.setAttribute("data-code", props.code); }
        });
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    // No animation: "data-ready" must mean the polygons are where they will stay.
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [6, 6], animate: false }); }
    var missing = collection.features.filter(function (f) { return !f.properties.has_polygon; }).length;
    status.textContent = missing ? cfg.text.noBoundary + ": " + missing : "";
    el.setAttribute("data-ready", "true");
    if (indicator) { legend(breaks); }
  }

  function legend(breaks) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var html = "<h3>" + escapeHtml(cfg.indicatorTitle) + (cfg.unit ? " (" + escapeHtml(cfg.unit) + ")" : "") + "</h3>";
      html += '<div><i style="background:' + ZERO + '"></i>0 / ' + escapeHtml(cfg.text.noData) + "</div>";
      var lower = 0;
      for (var k = 0; k < breaks.length; k++) {
        html += '<div><i style="background:' + colorOf(k, breaks) + '"></i>' + escapeHtml(fmt(lower)) + " – " + escapeHtml(fmt(breaks[k])) + "</div>";
        lower = breaks[k];
      }
      div.innerHTML = html;
      return div;
    };
    control.addTo(map);
  }

  // Point layers: fetched for the visible box after each move, clustered.
  var groups = {};
  function refreshPoints(key) {
    var spec = cfg.pointLayers.filter(function (p) { return p.key === key; })[0];
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(",");
    getJSON(spec.url + "?bbox=" + bbox).then(function (data) {
      var group = groups[key];
      if (!group) { return; }
      group.clearLayers();
      group.addLayers(data.points.map(function (p) {
        var marker = L.marker([p.lat, p.lon], { title: p.label });
        marker.bindPopup('<a href="' + encodeURI(p.url) + '">' + escapeHtml(p.label) + "</a>");
        return marker;
      }));
      if (data.is_truncated) { status.textContent = cfg.text.truncated; }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".point-layers input"), function (box) {
    box.addEventListener("change", function () {
      var key = box.value;
      if (box.checked) {
        groups[key] = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true }) : L.layerGroup();
        groups[key].addTo(map);
        refreshPoints(key);
      } else if (groups[key]) {
        map.removeLayer(groups[key]);
        delete groups[key];
      }
    });
  });
  map.on("moveend", function () { Object.keys(groups).forEach(refreshPoints); });
})();
