/* The directory search's map. Nothing here runs a request to another server until the member
   presses "Show on a map": then Leaflet (served by us) is loaded, and it fetches the
   OpenStreetMap tiles. The results come from the page's JSON data block, never from markup
   the script would have to trust. Without this script the page lists every result anyway. */
(function () {
  "use strict";

  var opener = document.getElementById("map-opener");
  var button = document.getElementById("show-map");
  var canvas = document.getElementById("search-map");
  var data = document.getElementById("search-points");
  if (!opener || !button || !canvas || !data) {
    return;
  }
  var points = JSON.parse(data.textContent);
  if (!points.length) {
    return;
  }
  opener.hidden = false;

  function loadStyle(href) {
    return new Promise(function (resolve, reject) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = resolve;
      link.onerror = reject;
      document.head.appendChild(link);
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.L) {
        resolve();
        return;
      }
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    box.appendChild(link);
    var lines = [point.organization, point.place];
    lines.forEach(function (line) {
      if (line) {
        var p = document.createElement("p");
        p.textContent = line;
        box.appendChild(p);
      }
    });
    return box;
  }

  function draw() {
    var L = window.L;
    canvas.hidden = false;
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", button.dataset.mapLabel);
    var map = L.map(canvas, { keyboard: true });
    L.tileLayer(button.dataset.tiles, {
      maxZoom: 19,
      attribution: button.dataset.attribution,
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      // A marker's label is read out and shown on hover: the service, then where it is.
      var label = point.place ? point.name + ", " + point.place : point.name;
      L.marker([point.lat, point.lon], { title: label, alt: label, keyboard: true })
        .bindPopup(popup(point))
        .addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    Promise.all([
      loadStyle(button.dataset.leafletCss),
      loadStyle(button.dataset.mapCss),
      loadScript(button.dataset.leafletJs),
    ])
      .then(function () {
        draw();
        opener.hidden = true;
        canvas.focus();
      })
      .catch(function () {
        button.disabled = false;
      });
  });
})();
