/* The GIS map: the offline vector boundaries of the areas map, and each chosen layer read from
   the OGC API (GeoJSON) for the visible box and the filters. Tiles only when a base-map URL is set. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("gis-config").textContent);
  var el = document.getElementById("gis-map");
  var status = document.getElementById("gis-status");
  var legendEl = document.getElementById("gis-legend");
  if (!el || !window.L) { return; }
  var locale = cfg.lang === "en" ? "en-US" : "th-TH";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false).addAttribution("OCHA / RTSD (CC BY-IGO)");
  if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map); }
  // The view is kept in the address as #zoom/lat/lon (shareable; the export prints this view).
  function viewFromHash() {
    var parts = window.location.hash.replace("#", "").split("/").map(Number);
    if (parts.length === 3 && parts.every(function (n) { return isFinite(n); })) {
      map.setView([parts[1], parts[2]], Math.max(0, Math.min(19, parts[0])));
      return true;
    }
    return false;
  }
  if (!viewFromHash()) { map.setView([13.2, 101.0], 5); }
  window.addEventListener("hashchange", viewFromHash);
  map.on("moveend", function () {
    var c = map.getCenter();
    var hash = "#" + Math.round(map.getZoom()) + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
    if (window.location.hash !== hash) { history.replaceState(null, "", hash); }
  });
  // Points above the area polygons whatever order the layers are refreshed in; the thematic
  // choropleth above the base boundaries and below the module layers.
  map.createPane("gis-points").style.zIndex = 450;
  map.createPane("gis-base").style.zIndex = 350;
  map.createPane("gis-thematic").style.zIndex = 380;

  getJSON(cfg.geojsonUrl).then(function (collection) {
    L.geoJSON(collection, {
      pane: "gis-base",
      style: function () { return { color: "#4d5a53", weight: 0.8, fillColor: "#eef3ef", fillOpacity: cfg.tileUrl ? 0 : 0.6 }; },
      interactive: false
    }).addTo(map);
    el.setAttribute("data-ready", "true");
    status.textContent = "";
    refreshAll();
  }).catch(function () { status.textContent = cfg.text.failed; });

  function filters() {
    var form = document.getElementById("gis-filters");
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { if (s.value) { out[s.name] = s.value; } });
    return out;
  }
  function valueOf(props) {
    var keys = ["projects", "settlements", "reports", "loans_in_arrears", "staff_trained"];
    for (var i = 0; i < keys.length; i++) { if (props[keys[i]] !== undefined) { return [keys[i], props[keys[i]]]; } }
    return null;
  }
  function popup(layer, props) {
    var title = props.title || props.name || props.name_th || props.code || "";
    var html = "<strong>" + escapeHtml(title) + "</strong>";
    Object.keys(props).forEach(function (k) {
      if (["url", "title", "name", "name_th", "name_en"].indexOf(k) >= 0 || props[k] === null || props[k] === "") { return; }
      var v = typeof props[k] === "number" ? Number(props[k]).toLocaleString(locale) : props[k];
      html += "<br>" + escapeHtml(k) + ": " + escapeHtml(v);
    });
    if (props.url) { html += '<br><a href="' + encodeURI(props.url) + '">' + escapeHtml(cfg.text.open) + "</a>"; }
    return html;
  }

  var shown = {};
  // Area layers: the level's boundaries are read once (the areas app's GeoJSON, simplified, cached
  // by the browser with its ETag) and each layer's figures (values.json, keyed by area code) are
  // joined to them here, so a filter change or a new layer moves figures, not polygons.
  var boundaryCache = {};
  var valuesShown = {};
  function boundariesOf(level) {
    if (!boundaryCache[level]) { boundaryCache[level] = getJSON(cfg.boundaries[level]); }
    return boundaryCache[level];
  }
  function refreshValues(spec) {
    var params = {};
    if (spec.projectFilters) {
      var f = filters();
      Object.keys(f).forEach(function (k) { if (spec.params.indexOf(k) >= 0) { params[k] = f[k]; } });
    }
    var query = new URLSearchParams(params).toString();
    if (valuesShown[spec.key] === query) { return; }  // panning moves no figures
    valuesShown[spec.key] = query;
    Promise.all([boundariesOf(spec.level), getJSON(spec.valuesUrl + (query ? "?" + query : ""))]).then(function (got) {
      if (!shown[spec.key] || valuesShown[spec.key] !== query) { return; }
      var collection = got[0];
      var data = got[1];
      var main = -1;
      ["projects", "settlements", "reports", "loans_in_arrears", "staff_trained"].some(function (k) {
        main = data.fields.indexOf(k);
        return main >= 0;
      });
      var max = 0;
      Object.keys(data.values).forEach(function (code) { if (main >= 0) { max = Math.max(max, Number(data.values[code][main]) || 0); } });
      var drawn = 0;
      var many = Object.keys(data.values).length > 2500;
      var group = shown[spec.key];
      group.clearLayers();
      var geo = L.geoJSON(collection, {
        renderer: many ? L.canvas({ padding: 0.2 }) : undefined,
        filter: function (feature) { return feature.geometry && data.values[feature.properties.code] !== undefined; },
        style: function (feature) {
          var row = data.values[feature.properties.code];
          var v = main >= 0 ? Number(row[main]) || 0 : 0;
          var hot = String(row[data.fields.indexOf("hotspot")] || "");
          var opacity = max ? 0.2 + 0.7 * (v / max) : 0.5;
          if (hot.indexOf("hot") === 0) { opacity = 0.9; }
          return { color: spec.color, weight: many ? 0.3 : 1, fillColor: spec.color, fillOpacity: opacity };
        },
        onEachFeature: function (feature, layer) {
          drawn += 1;
          var props = { code: feature.properties.code, name_th: feature.properties.name_th, name_en: feature.properties.name_en };
          data.fields.forEach(function (k, i) { props[k] = data.values[feature.properties.code][i]; });
          props.title = cfg.lang === "en" && props.name_en ? props.name_en : props.name_th;
          layer.bindPopup(popup(layer, props));
        }
      });
      group.addLayer(geo);
      el.setAttribute("data-layer-" + spec.key, String(drawn));
      el.setAttribute("data-matched-" + spec.key, String(Object.keys(data.values).length));
    }).catch(function () { valuesShown[spec.key] = null; status.textContent = cfg.text.failed; });
  }
  function refresh(spec) {
    if (spec.valuesUrl) { refreshValues(spec); return; }
    var b = map.getBounds();
    var bbox = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)]
      .map(function (v) { return v.toFixed(4); }).join(",");
    var params = { limit: "1000", bbox: bbox };
    if (spec.projectFilters) {
      var f = filters();
      Object.keys(f).forEach(function (k) { if (spec.params.indexOf(k) >= 0) { params[k] = f[k]; } });
    }
    var base = spec.url;
    if (spec.clusterUrl) {  // point layers come clustered on the server's grid for this zoom
      base = spec.clusterUrl;
      delete params.limit;
      params.zoom = String(Math.max(0, Math.round(map.getZoom())));
    }
    var url = base + "?" + new URLSearchParams(params).toString();
    getJSON(url).then(function (data) {
      if (!shown[spec.key]) { return; }
      var group = shown[spec.key];
      group.clearLayers();
      var max = 0;
      data.features.forEach(function (f) { var v = valueOf(f.properties); if (v) { max = Math.max(max, v[1]); } });
      var geo = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          if (p.cluster) {
            var size = p.count < 10 ? 30 : p.count < 100 ? 36 : 44;
            var icon = L.divIcon({
              className: "gis-cluster", iconSize: [size, size],
              html: '<span style="background:' + spec.color + '">' + Number(p.count).toLocaleString(locale) + "</span>"
            });
            var c = L.marker(latlng, { icon: icon, pane: "gis-points", keyboard: true, title: String(p.count) });
            c.on("click", function () {
              map.fitBounds([[p.bounds[1], p.bounds[0]], [p.bounds[3], p.bounds[2]]]);
            });
            return c;
          }
          var m = L.circleMarker(latlng, { pane: "gis-points", radius: 7, color: "#fff", weight: 1, fillColor: spec.color, fillOpacity: 0.9 });
          return m;
        },
        style: function (feature) {
          var v = valueOf(feature.properties);
          var hot = feature.properties.hotspot || "";
          var opacity = v && max ? 0.2 + 0.7 * (v[1] / max) : 0.5;
          if (hot.indexOf("hot") === 0) { opacity = 0.9; }
          return { color: spec.color, weight: 1, fillColor: spec.color, fillOpacity: opacity };
        },
        onEachFeature: function (feature, layer) {
          var props = feature.properties;
          if (props.cluster) { return; }
          layer.bindPopup(popup(layer, props));
          if (spec.key === "projects" && props.url) {
            layer.on("click", function () { window.location.href = props.url; });
          }
          layer.on("add", function () {
            var node = layer.getElement && layer.getElement();
            if (node) { node.setAttribute("data-layer", spec.key); node.setAttribute("data-id", String(feature.id)); }
          });
        }
      });
      group.addLayer(geo);
      var returned = data.numberReturned === undefined ? data.features.length : data.numberReturned;
      status.textContent = data.numberReturned !== undefined && data.numberMatched > returned ? cfg.text.truncated : "";
      el.setAttribute("data-layer-" + spec.key, String(returned));
      el.setAttribute("data-matched-" + spec.key, String(data.numberMatched));
    }).catch(function () { status.textContent = cfg.text.failed; });
  }
  function refreshAll() {
    cfg.layers.forEach(function (spec) { if (shown[spec.key]) { refresh(spec); } });
    legend();
  }
  function exportLinks() {
    var b = map.getBounds();
    var params = Object.assign({
      layers: Object.keys(shown).join(","),
      bbox: [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)]
        .map(function (v) { return v.toFixed(4); }).join(","),
      zoom: String(Math.max(0, Math.round(map.getZoom()))),
      title: (document.getElementById("gis-title") || { value: "" }).value
    }, filters());
    if (thData && thBox && thBox.checked) {  // the print draws the thematic layer and its legend too
      var p = thParams();
      Object.keys(p).forEach(function (k) { params["th_" + k] = p[k]; });
    }
    ["gis-export-pdf", "gis-export-png"].forEach(function (id) {
      var a = document.getElementById(id);
      if (a) { a.href = a.getAttribute("data-base") + "?" + new URLSearchParams(params).toString(); }
    });
  }
  var titleInput = document.getElementById("gis-title");
  if (titleInput) { titleInput.addEventListener("input", exportLinks); }
  function fmt(value) { return Number(value).toLocaleString(locale, { maximumFractionDigits: 2 }); }
  function swatchRow(tag, color, text) {
    var row = document.createElement(tag);
    var sw = document.createElement("i");
    sw.style.background = color;
    row.appendChild(sw);
    row.appendChild(document.createTextNode(text));
    return row;
  }
  // The thematic layer: a choropleth of one indicator of the areas registry (the JSON of
  // /gis/thematic/data.json, scoped by the server), over the boundaries of the chosen level.
  var th = cfg.thematic || null;
  var thBox = document.getElementById("g-thematic");
  var thLayer = null;
  var thData = null;
  var thGeo = {};
  function thParams() {
    var out = {};
    ["source", "level", "method", "classes"].forEach(function (name) {
      var s = document.querySelector("#gis-thematic select[name=" + name + "]");
      if (s) { out[name] = s.value; }
    });
    return out;
  }
  function drawThematic() {
    if (!th || !thBox) { return; }
    if (!thBox.checked) {
      if (thLayer) { map.removeLayer(thLayer); thLayer = null; }
      thData = null;
      drawSymbols();
      el.removeAttribute("data-thematic");
      legend();
      return;
    }
    var p = thParams();
    var geo = thGeo[p.level] ? Promise.resolve(thGeo[p.level]) : getJSON(th.geojson[p.level]).then(function (c) { thGeo[p.level] = c; return c; });
    Promise.all([geo, getJSON(th.dataUrl + "?" + new URLSearchParams(p).toString())]).then(function (got) {
      if (!thBox.checked) { return; }
      var collection = got[0];
      var data = got[1];
      var colors = data.legend.map(function (c) { return c.color; });
      var many = collection.features.length > 2500;
      if (thLayer) { map.removeLayer(thLayer); }
      thLayer = L.geoJSON(collection, {
        pane: "gis-thematic",
        renderer: many ? L.canvas({ pane: "gis-thematic", padding: 0.2 }) : L.svg({ pane: "gis-thematic" }),
        style: function (feature) {
          var f = data.features[feature.properties.code];
          return { color: "#4d5a53", weight: many ? 0.3 : 0.7, fillOpacity: 0.8, fillColor: f ? colors[f[0]] : th.noDataColor };
        },
        onEachFeature: function (feature, shape) {
          var props = feature.properties;
          var f = data.features[props.code];
          var name = cfg.lang === "en" && props.name_en ? props.name_en : props.name_th;
          shape.bindTooltip(escapeHtml(name) + ": " + (f ? fmt(f[1]) + " " + escapeHtml(data.unit) : escapeHtml(th.text.noData)));
        }
      }).addTo(map);
      thData = data;
      drawSymbols();
      el.setAttribute("data-thematic", data.source + ":" + data.level);
      legend();
    }).catch(function () { status.textContent = cfg.text.failed; });
  }
  // Graduated circles: area in proportion to the value (radius from the server), above the areas.
  var thSymbolsBox = document.getElementById("g-th-symbols");
  var thSymbols = L.layerGroup();
  function drawSymbols() {
    thSymbols.clearLayers();
    if (!thData || !thSymbolsBox || !thSymbolsBox.checked) { map.removeLayer(thSymbols); return; }
    Object.keys(thData.features).forEach(function (code) {
      var f = thData.features[code];  // [class, value, lon, lat, radius]
      if (f[2] === null || f[4] <= 0) { return; }
      L.circleMarker([f[3], f[2]], { pane: "gis-points", radius: f[4], color: "#7f2704", weight: 1, fillColor: "#d95f0e", fillOpacity: 0.7 })
        .bindTooltip(fmt(f[1]) + " " + escapeHtml(thData.unit)).addTo(thSymbols);
    });
    thSymbols.addTo(map);
  }
  function thematicLegend(box) {
    var areas = function (n) { return " (" + th.text.areas.replace("%(n)s", fmt(n)) + ")"; };
    var title = document.createElement("div");
    title.className = "legend-title";
    title.textContent = thData.title + (thData.unit ? " (" + thData.unit + ")" : "");
    box.appendChild(title);
    var list = document.createElement("ul");
    list.setAttribute("data-testid", "gis-thematic-legend");
    thData.legend.forEach(function (c) {
      var range = c.lower === c.upper ? fmt(c.upper) : fmt(c.lower) + " – " + fmt(c.upper);
      list.appendChild(swatchRow("li", c.color, range + areas(c.areas)));
    });
    list.appendChild(swatchRow("li", thData.no_data.color, th.text.noData + areas(thData.no_data.areas)));
    box.appendChild(list);
  }
  function legend() {
    exportLinks();
    legendEl.textContent = "";
    cfg.layers.forEach(function (spec) {
      if (shown[spec.key]) { legendEl.appendChild(swatchRow("div", spec.color, spec.title)); }
    });
    if (thData) { thematicLegend(legendEl); }
  }
  if (thBox) {
    thBox.addEventListener("change", drawThematic);
    if (thSymbolsBox) { thSymbolsBox.addEventListener("change", drawSymbols); }
    Array.prototype.forEach.call(document.querySelectorAll("#gis-thematic select"), function (s) {
      s.addEventListener("change", function () { if (thBox.checked) { drawThematic(); } });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("#gis-layers input[name=layer]"), function (box) {
    var spec = cfg.layers.filter(function (l) { return l.key === box.value; })[0];
    function apply() {
      if (box.checked && !shown[spec.key]) {
        shown[spec.key] = L.layerGroup().addTo(map);
        if (el.getAttribute("data-ready")) { refresh(spec); }
      } else if (!box.checked && shown[spec.key]) {
        map.removeLayer(shown[spec.key]);
        delete shown[spec.key];
        delete valuesShown[spec.key];
      }
      legend();
    }
    box.addEventListener("change", apply);
    apply();
  });
  Array.prototype.forEach.call(document.querySelectorAll("#gis-filters select"), function (s) {
    s.addEventListener("change", refreshAll);
  });
  map.on("moveend", refreshAll);
})();
