/* Drawing a settlement: clicks add the polygon's corners (a click on the first closes it and writes
   GeoJSON into the form); the GPS button fills a point from the phone's position. */
(function () {
  "use strict";
  var el = document.getElementById("draw-map");
  var field = document.getElementById("f-geometry");
  if (!el || !window.L || !field) { return; }
  var map = L.map(el).setView([13.75, 100.5], 11);
  var points = [];
  var shape = null;
  function redraw(closed) {
    if (shape) { map.removeLayer(shape); }
    if (!points.length) { return; }
    shape = closed ? L.polygon(points, { color: "#e6550d" }).addTo(map) : L.polyline(points, { color: "#e6550d" }).addTo(map);
  }
  function write() {
    var ring = points.map(function (p) { return [Number(p.lng.toFixed(7)), Number(p.lat.toFixed(7))]; });
    ring.push(ring[0]);
    field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }
  if (field.value) {
    try {
      var existing = L.geoJSON(JSON.parse(field.value)).addTo(map);
      if (existing.getBounds().isValid()) { map.fitBounds(existing.getBounds(), { maxZoom: 16 }); }
    } catch (e) { /* the server says what is wrong with it */ }
  }
  map.on("click", function (e) {
    if (points.length >= 3 && map.latLngToContainerPoint(points[0]).distanceTo(e.containerPoint) < 12) {
      redraw(true); write(); return;
    }
    points.push(e.latlng);
    redraw(false);
  });
  document.getElementById("clear-drawing").addEventListener("click", function () { points = []; redraw(false); field.value = ""; });
  document.getElementById("gps").addEventListener("click", function () {
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("f-lon").value = pos.coords.longitude.toFixed(7);
      document.getElementById("f-lat").value = pos.coords.latitude.toFixed(7);
      field.value = "";
      map.setView([pos.coords.latitude, pos.coords.longitude], 17);
      L.marker([pos.coords.latitude, pos.coords.longitude]).addTo(map);
    });
  });
  el.setAttribute("data-ready", "true");
})();
