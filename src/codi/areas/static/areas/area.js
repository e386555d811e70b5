/* The boundary map on an area page: the area's polygon and its children's, no tiles (nothing leaves the site). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("area-map-data").textContent);
  var el = document.getElementById("area-map");
  if (!el || !window.L || !data.area.length) { return; }
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false).addAttribution("OCHA / RTSD (CC BY-IGO)");
  var children = L.geoJSON(data.children, {
    style: { color: "#5b6660", weight: 1, fillColor: "#e8f3ee", fillOpacity: 0.6 },
    onEachFeature: function (feature, layer) {
      layer.on("click", function () { window.location.href = data.areaUrl.replace("CODE", feature.properties.code); });
    }
  }).addTo(map);
  var area = L.geoJSON(data.area, {
    style: { color: "#0b5d3b", weight: 3, fill: data.children.length === 0, fillColor: "#0b5d3b", fillOpacity: 0.15 },
    interactive: false
  }).addTo(map);
  map.fitBounds(area.getBounds(), { padding: [8, 8] });
  if (children.getLayers().length) { children.bringToBack(); }
})();
