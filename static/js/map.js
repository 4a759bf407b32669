// The pairing map: land and borders from Natural Earth (npm world-atlas, served with the
// site: no tile server, works offline), cities in clusters, pairings as lines coloured by
// status. Data comes from the map's own compact address (/map/data.json, with the page's
// filters): rows of cities and pairings that this script expands (programmes/map.py says
// the shape); the GeoJSON downloads stay for other tools.
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
  // Each ring or line made continuous: Natural Earth cuts Chukotka, Fiji and Antarctica at
  // 180 degrees, and the land's merged rings jump from 180 to -180 there, which the canvas
  // filled as bands across the whole map. Unwrapped, a ring runs on past 180 instead; the
  // copies of the land at -360 and +360 cover the rest.
  function unwrap(geometry) {
    function continuous(points) {
      var previous = null;
      return points.map(function (c) {
        var longitude = previous === null ? c[0] : near(c[0], previous);
        previous = longitude;
        return [longitude, c[1]];
      });
    }
    var depth = { LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2 }[geometry.type];
    function walk(coordinates, level) {
      return level === 0 ? continuous(coordinates) : coordinates.map(function (part) { return walk(part, level - 1); });
    }
    if (geometry.type === "FeatureCollection") {
      return { type: geometry.type, features: geometry.features.map(unwrap) };
    }
    if (geometry.type === "Feature") {
      return { type: geometry.type, properties: geometry.properties, geometry: unwrap(geometry.geometry) };
    }
    if (depth === undefined) return geometry;
    return { type: geometry.type, coordinates: walk(geometry.coordinates, depth) };
  }

  function drawLand(topology) {
    var land = unwrap(topojson.feature(topology, topology.objects.land));
    var borders = unwrap(topojson.mesh(topology, topology.objects.countries, function (a, b) { return a !== b; }));
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

  // The compact rows as the features the drawing uses: a pairing's points are
  // [city id, longitude, latitude], its hub first; one with fewer than two is not drawn.
  function expand(data) {
    function link(template, value) { return template.replace("{}", encodeURIComponent(value)); }
    var pairings = [];
    data.pairings.forEach(function (row) {
      if (row[4].length < 2) return;
      pairings.push({
        id: row[0], points: row[4],
        properties: {
          id: row[0], status: row[1], status_label: data.statuses[row[1]] || row[1],
          programme: data.programmes[row[2]], title: row[3],
          web_url: link(data.links.pairing, row[0]),
        },
      });
    });
    var cities = data.cities.map(function (row) {
      return {
        id: row[0], longitude: row[4], latitude: row[5],
        properties: {
          id: row[0], name: row[1], slug: row[2], country: row[3], local_name: row[6],
          local_language: row[7], web_url: link(data.links.city, row[2]),
        },
      };
    });
    return { pairings: pairings, cities: cities };
  }

  // Lines from the hub (within 180 degrees of CENTRE) to every other city, the short way.
  function lineLatLngs(feature) {
    var hub = feature.points[0];
    var start = near(hub[1], CENTRE);
    return feature.points.slice(1).map(function (point) {
      return [[hub[2], start], [point[2], near(point[1], start)]];
    });
  }

  function pairingPopup(p) {
    return '<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.title) + "</a><br>" +
      escapeHtml(p.programme) + " · " + escapeHtml(p.status_label);
  }

  function cityPopup(p) {
    var local = p.local_name ? " <span lang=\"" + escapeHtml(p.local_language || "") + "\">" + escapeHtml(p.local_name) + "</span>" : "";
    return '<a href="' + escapeHtml(p.web_url) + '">' + escapeHtml(p.name) + "</a>" + local +
      " (" + escapeHtml(p.country) + ")";
  }

  function drawLines(features) {
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
        segments.push([feature, part[0], part[part.length - 1]]);
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
          click, map.latLngToLayerPoint(L.latLng(segment[1])), map.latLngToLayerPoint(L.latLng(segment[2])));
        if (distance < bestDistance) { best = segment[0]; bestDistance = distance; }
      });
      if (best) L.popup().setLatLng(event.latlng).setContent(pairingPopup(best.properties)).openOn(map);
    });
    return group;
  }

  function drawCities(cities, done) {
    var markers = [];
    cities.forEach(function (feature) {
      var marker = L.circleMarker([feature.latitude, near(feature.longitude, CENTRE)], {
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

  // The lines draw as soon as the data arrives (a filtered map fitted to them first); the
  // cities are clustered after the lines are on screen (when the map is filtered, the
  // server sends only the cities of the pairings shown).
  var onlyPaired = element.dataset.onlyPairedCities === "true";
  var linesDrawn = fetchJson(element.dataset.dataUrl).then(function (data) {
    mark("dataMs");
    var features = expand(data);
    var lines = drawLines(features.pairings).addTo(map);
    if (onlyPaired && features.pairings.length) {
      map.fitBounds(lines.getBounds().pad(0.15), { maxZoom: 7, animate: false });
    }
    mark("linesMs");
    // The canvas paints on the next frame: the frame after that has the lines on screen.
    return new Promise(function (resolve) {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          mark("drawnMs");
          resolve({ features: features, lines: lines });
        });
      });
    });
  });

  Promise.all([linesDrawn, landDrawn])
    .then(function (results) {
      var features = results[0].features;
      var drawn = drawCities(features.cities, function () {
        mark("loadedMs");
        element.dataset.loaded = "true";
        drawFinerLand();
      });
      mark("citiesMs");
      var pairingCount = features.pairings.length;
      status.textContent = pairingCount + " pairing" + (pairingCount === 1 ? "" : "s") + " and " +
        drawn.count + " cit" + (drawn.count === 1 ? "y" : "ies") + " on the map.";
    })
    .catch(function (error) {
      status.textContent = "The map data could not be loaded (" + error.message + "). The lists still work.";
      element.dataset.loaded = "error";
    });
})();
