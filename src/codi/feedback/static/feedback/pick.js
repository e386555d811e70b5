/* Pick where the problem is: tap a province, then the spot; or use the phone's location.
   No map tiles (nothing leaves the site): outlines only, served by the platform. */
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  if (!el || !window.L) { return; }
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var status = document.getElementById("pick-status");
  var url = el.getAttribute("data-boundaries");
  var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
  map.attributionControl.setPrefix(false).addAttribution("OCHA / RTSD (CC BY-IGO)");
  map.setView([13.2, 101.0], 5);
  var marker = null;
  var detail = null;

  function place(latlng, how) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    status.textContent = status.getAttribute("data-picked") + " " + lat.value + ", " + lon.value + (how ? " (" + how + ")" : "");
  }

  function loadProvince(code, bounds) {
    fetch(url.replace("LEVEL", "subdistrict") + "?province=" + encodeURIComponent(code))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (detail) { map.removeLayer(detail); }
        detail = L.geoJSON(data, {
          style: { color: "#5b6660", weight: 1, fillColor: "#e8f3ee", fillOpacity: 0.4 },
          onEachFeature: function (f, layer) { layer.on("click", function (e) { place(e.latlng); }); }
        }).addTo(map);
        map.fitBounds(bounds, { padding: [4, 4] });
      });
  }

  fetch(url.replace("LEVEL", "province"))
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      L.geoJSON(data, {
        style: { color: "#0b5d3b", weight: 1, fillColor: "#ffffff", fillOpacity: 0.2 },
        onEachFeature: function (f, layer) {
          layer.on("click", function (e) {
            if (map.getZoom() < 7.5) { loadProvince(f.properties.code, layer.getBounds()); } else { place(e.latlng); }
          });
        }
      }).addTo(map);
    });

  var here = document.getElementById("pick-here");
  if (here && navigator.geolocation) {
    here.hidden = false;
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var latlng = L.latLng(pos.coords.latitude, pos.coords.longitude);
        place(latlng, here.getAttribute("data-how"));
        map.setView(latlng, 11);
      });
    });
  }
  var clear = document.getElementById("pick-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = "";
    });
  }
})();
