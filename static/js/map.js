// The pairing map: cities as markers, pairings as lines, on a blank map (no tiles, so it
// works offline). Data comes from the map's own GeoJSON addresses, with the page's filters.
(function () {
  "use strict";

  var element = document.getElementById("pairing-map");
  var status = document.getElementById("map-status");
  if (!element || typeof L === "undefined") return;

  var colours = {
    proposed: "#8a6d00", agreed: "#1f6fb2", active: "#1e7b34",
    completed: "#5b4a9b", dormant: "#777777", cancelled: "#a33a3a",
  };

  var map = L.map(element, { worldCopyJump: false, minZoom: 1, attributionControl: false });
  map.setView([15, 110], 3);

  // A light graticule every 10 degrees gives the eye something to hold on to.
  var graticule = L.layerGroup().addTo(map);
  for (var lat = -80; lat <= 80; lat += 10) {
    L.polyline([[lat, -180], [lat, 180]], { color: "#d9dee3", weight: 1, interactive: false })
      .addTo(graticule);
  }
  for (var lng = -180; lng <= 180; lng += 10) {
    L.polyline([[-85, lng], [85, lng]], { color: "#d9dee3", weight: 1, interactive: false })
      .addTo(graticule);
  }
  [[0, "Equator"], [23.44, "Tropic of Cancer"], [-23.44, "Tropic of Capricorn"]].forEach(function (line) {
    L.polyline([[line[0], -180], [line[0], 180]], { color: "#b8c2cc", weight: 1, dashArray: "4 4", interactive: false })
      .bindTooltip(line[1]).addTo(graticule);
  });

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } }).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    });
  }

  function coordinateKey(coordinates) {
    return Number(coordinates[0]).toFixed(4) + "," + Number(coordinates[1]).toFixed(4);
  }

  Promise.all([fetchJson(element.dataset.pairingsUrl), fetchJson(element.dataset.citiesUrl)])
    .then(function (results) {
      var pairings = results[0], cities = results[1];
      var onlyPaired = element.dataset.onlyPairedCities === "true";
      var endpoints = {};
      var lines = L.geoJSON(pairings, {
        style: function (feature) {
          return { color: colours[feature.properties.status] || "#444", weight: 3, opacity: 0.8 };
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          layer.bindPopup('<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.title) + "</a><br>" +
            escapeHtml(p.programme) + " · " + escapeHtml(p.status));
          var geometry = feature.geometry || {};
          var parts = geometry.type === "MultiLineString" ? geometry.coordinates : [geometry.coordinates || []];
          parts.forEach(function (part) { part.forEach(function (c) { endpoints[coordinateKey(c)] = true; }); });
        },
      });
      var shownCities = 0;
      var markers = L.geoJSON(cities, {
        filter: function (feature) {
          return !onlyPaired || endpoints[coordinateKey(feature.geometry.coordinates)];
        },
        pointToLayer: function (feature, latlng) {
          shownCities += 1;
          return L.circleMarker(latlng, { radius: 5, color: "#123", weight: 1, fillColor: "#f5b700", fillOpacity: 0.95 });
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          layer.bindTooltip(escapeHtml(p.name));
          layer.bindPopup('<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.name) + "</a> (" + escapeHtml(p.country) + ")");
        },
      });
      lines.addTo(map);
      markers.addTo(map);
      var bounds = L.featureGroup([lines, markers]).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 7 });
      var pairingCount = (pairings.features || []).length;
      status.textContent = pairingCount + " pairing" + (pairingCount === 1 ? "" : "s") + " and " +
        shownCities + " cit" + (shownCities === 1 ? "y" : "ies") + " on the map.";
      element.dataset.loaded = "true";
    })
    .catch(function (error) {
      status.textContent = "The map data could not be loaded (" + error.message + "). The lists still work.";
      element.dataset.loaded = "error";
    });
})();
