// The pairing map: land and borders from Natural Earth (npm world-atlas, served with the
// site: no tile server, works offline), cities in clusters, pairings as lines coloured by
// status. Data comes from the map's own GeoJSON addresses, with the page's filters.
//
// The map is centred on the Pacific rather than Greenwich, so the Asia-Pacific is whole:
// every longitude is put within 180 degrees of CENTRE, each line is drawn the short way
// (Christchurch to Malaga over Asia, Kaohsiung to Los Angeles over the Pacific), and the
// land is drawn three times side by side so no band of the world is ever empty.
(function () {
  "use strict";

  var element = document.getElementById("pairing-map");
  var status = document.getElementById("map-status");
  if (!element || typeof L === "undefined") return;

  var CENTRE = 150;
  // Above this many lines the map draws them thin, by status, so that a whole programme
  // reads as density and draws in a fraction of a second.
  var MANY_LINES = 2000;
  var colours = {
    proposed: "#8a6d00", agreed: "#1f6fb2", active: "#1e7b34",
    completed: "#5b4a9b", dormant: "#777777", cancelled: "#a33a3a",
  };

  function mark(name) {
    element.dataset[name] = String(Math.round(performance.now()));
  }

  // One canvas for everything: tens of thousands of lines as SVG elements would not pan.
  var renderer = L.canvas({ padding: 0.5, tolerance: 4 });
  var map = L.map(element, {
    renderer: renderer, preferCanvas: true, minZoom: 1, maxZoom: 12,
    worldCopyJump: false, attributionControl: true, zoomSnap: 0.5,
    maxBounds: [[-85, CENTRE - 540], [85, CENTRE + 540]],
  });
  // The browser tests and the benchmark read the map's layers from here.
  element.leafletMap = map;
  map.attributionControl.setPrefix(false).addAttribution("Land and borders: Natural Earth");
  var phone = element.clientWidth < 600;
  map.setView([15, CENTRE], phone ? 1.5 : 3);
  map.createPane("land").style.zIndex = 250;

  // The longitude nearest `reference` that is the same meridian as `longitude`.
  function near(longitude, reference) {
    while (longitude - reference > 180) longitude -= 360;
    while (longitude - reference < -180) longitude += 360;
    return longitude;
  }

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

  // The coarse land (110 m, 100 kB) draws at once; the finer (50 m) replaces it after the
  // data, for the zoomed-in views.
  function drawLand(topology) {
    var land = topojson.feature(topology, topology.objects.land);
    var borders = topojson.mesh(topology, topology.objects.countries, function (a, b) { return a !== b; });
    var group = L.layerGroup();
    [-360, 0, 360].forEach(function (shift) {
      var toLatLng = function (c) { return L.latLng(c[1], c[0] + shift); };
      // No outline on the land: Leaflet clips polygons to the screen, and an outline would
      // trace the clipping edge. The borders are lines, which clip cleanly.
      L.geoJSON(land, {
        coordsToLatLng: toLatLng, interactive: false, renderer: landRenderer, pane: "land",
        style: { stroke: false, fillColor: "#ece8dc", fillOpacity: 1 },
      }).addTo(group);
      L.geoJSON(borders, {
        coordsToLatLng: toLatLng, interactive: false, renderer: landRenderer, pane: "land",
        style: { color: "#b3a98f", weight: 0.7 },
      }).addTo(group);
    });
    return group.addTo(map);
  }

  var landRenderer = L.canvas({ padding: 0.5, pane: "land" });
  var coarseLand = null;
  var landDrawn = fetchJson(element.dataset.landUrl).then(function (topology) {
    coarseLand = drawLand(topology);
    mark("landMs");
  }).catch(function () { element.dataset.land = "missing"; });

  function drawFinerLand() {
    if (!element.dataset.fineLandUrl) return;
    fetchJson(element.dataset.fineLandUrl).then(function (topology) {
      drawLand(topology);
      if (coarseLand) map.removeLayer(coarseLand);
    }).catch(function () { /* the coarse land stays */ });
  }

  // Lines: the hub first (within 180 degrees of CENTRE), every other city the short way from it.
  function lineLatLngs(feature) {
    var geometry = feature.geometry || {};
    var parts = geometry.type === "MultiLineString" ? geometry.coordinates : [geometry.coordinates || []];
    return parts.map(function (part) {
      var start = near(part[0][0], CENTRE);
      return part.map(function (c, index) {
        return [c[1], index === 0 ? start : near(c[0], start)];
      });
    });
  }

  function pairingPopup(p) {
    return '<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.title) + "</a><br>" +
      escapeHtml(p.programme) + " · " + escapeHtml(p.status);
  }

  function cityPopup(p) {
    var local = p.local_name ? " <span lang=\"" + escapeHtml(p.local_language || "") + "\">" + escapeHtml(p.local_name) + "</span>" : "";
    return '<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.name) + "</a>" + local +
      " (" + escapeHtml(p.country) + ")";
  }

  function drawLines(pairings) {
    var features = pairings.features || [];
    var group = L.featureGroup();
    if (features.length > MANY_LINES) return drawManyLines(features, group);
    features.forEach(function (feature) {
      var line = L.polyline(lineLatLngs(feature), {
        renderer: renderer, color: colours[feature.properties.status] || "#444",
        weight: 3, opacity: 0.85,
      });
      line.feature = feature;
      group.addLayer(line);
    });
    group.on("click", function (event) {
      L.popup().setLatLng(event.latlng).setContent(pairingPopup(event.layer.feature.properties)).openOn(map);
    });
    return group;
  }

  // A whole programme: one thin, non-interactive line layer per status (six layers, not
  // 24,000, which would take seconds to build and to redraw at each pan). A click finds
  // the nearest pairing itself.
  function drawManyLines(features, group) {
    var byStatus = {};
    var segments = [];
    features.forEach(function (feature) {
      var status = feature.properties.status;
      (byStatus[status] = byStatus[status] || []);
      lineLatLngs(feature).forEach(function (part) {
        byStatus[status].push(part);
        segments.push([feature, L.latLng(part[0]), L.latLng(part[part.length - 1])]);
      });
    });
    Object.keys(byStatus).forEach(function (status) {
      L.polyline(byStatus[status], {
        renderer: renderer, color: colours[status] || "#444", weight: 1, opacity: 0.35,
        interactive: false, smoothFactor: 2,
      }).addTo(group);
    });
    map.on("click", function (event) {
      var click = map.latLngToLayerPoint(event.latlng);
      var best = null, bestDistance = 6;
      segments.forEach(function (segment) {
        var distance = L.LineUtil.pointToSegmentDistance(
          click, map.latLngToLayerPoint(segment[1]), map.latLngToLayerPoint(segment[2]));
        if (distance < bestDistance) { best = segment[0]; bestDistance = distance; }
      });
      if (best) L.popup().setLatLng(event.latlng).setContent(pairingPopup(best.properties)).openOn(map);
    });
    return group;
  }

  function drawCities(cities, endpoints, onlyPaired, done) {
    var markers = [];
    (cities.features || []).forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var key = Number(c[0]).toFixed(4) + "," + Number(c[1]).toFixed(4);
      if (onlyPaired && !endpoints[key]) return;
      var marker = L.circleMarker([c[1], near(c[0], CENTRE)], {
        renderer: renderer, radius: 5, color: "#123", weight: 1, fillColor: "#f5b700", fillOpacity: 0.95,
      });
      marker.feature = feature;
      markers.push(marker);
    });
    var clusters = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
      disableClusteringAtZoom: 9, spiderfyOnMaxZoom: true,
      chunkProgress: function (processed, total) { if (processed === total) done(); },
    });
    clusters.on("click", function (event) {
      L.popup().setLatLng(event.latlng).setContent(cityPopup(event.layer.feature.properties)).openOn(map);
    });
    // A tooltip is bound when first needed: binding 17,000 up front costs a second.
    clusters.on("mouseover", function (event) {
      var marker = event.layer;
      if (!marker.feature || marker.getTooltip()) return;
      marker.bindTooltip(escapeHtml(marker.feature.properties.name)).openTooltip();
    });
    // On the map before the markers, so that they are clustered in chunks between frames.
    clusters.addTo(map);
    clusters.addLayers(markers);
    if (!markers.length) done();
    return { layer: clusters, count: markers.length };
  }

  function pointKeys(pairings) {
    var keys = {};
    (pairings.features || []).forEach(function (feature) {
      var geometry = feature.geometry || {};
      var parts = geometry.type === "MultiLineString" ? geometry.coordinates : [geometry.coordinates || []];
      parts.forEach(function (part) {
        part.forEach(function (c) { keys[Number(c[0]).toFixed(4) + "," + Number(c[1]).toFixed(4)] = true; });
      });
    });
    return keys;
  }

  // The lines draw as soon as the pairings arrive; the cities follow (when the map is
  // filtered, only the cities of the pairings shown).
  var citiesArrived = fetchJson(element.dataset.citiesUrl);
  var linesDrawn = fetchJson(element.dataset.pairingsUrl).then(function (pairings) {
    mark("dataMs");
    var lines = drawLines(pairings).addTo(map);
    mark("linesMs");
    // The canvas paints on the next frame: the frame after that has the lines on screen.
    requestAnimationFrame(function () { requestAnimationFrame(function () { mark("drawnMs"); }); });
    return { pairings: pairings, lines: lines };
  });

  Promise.all([linesDrawn, citiesArrived, landDrawn])
    .then(function (results) {
      var pairings = results[0].pairings, lines = results[0].lines, cities = results[1];
      var onlyPaired = element.dataset.onlyPairedCities === "true";
      var drawn = drawCities(cities, pointKeys(pairings), onlyPaired, function () {
        mark("loadedMs");
        element.dataset.loaded = "true";
        drawFinerLand();
      });
      mark("citiesMs");
      var pairingCount = (pairings.features || []).length;
      if (onlyPaired && pairingCount + drawn.count > 0) {
        var bounds = L.latLngBounds([]);
        if (pairingCount) bounds.extend(lines.getBounds());
        if (drawn.count) bounds.extend(drawn.layer.getBounds());
        if (bounds.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 7 });
      }
      status.textContent = pairingCount + " pairing" + (pairingCount === 1 ? "" : "s") + " and " +
        drawn.count + " cit" + (drawn.count === 1 ? "y" : "ies") + " on the map.";
    })
    .catch(function (error) {
      status.textContent = "The map data could not be loaded (" + error.message + "). The lists still work.";
      element.dataset.loaded = "error";
    });
})();
