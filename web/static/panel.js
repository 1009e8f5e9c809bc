// cambista panel: draws the charts. Every <canvas data-chart="bar|line"
// data-src="/x.json"> becomes a Chart.js chart of the JSON at data-src:
// {"labels": [...], "datasets": [{"label": "USD", "data": [...]}]}.
// Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var palette = ["#0f766e", "#b45309", "#1d4ed8", "#7c3aed", "#be123c", "#4d7c0f"];

  function draw(canvas) {
    if (canvas.dataset.drawn) {
      return;
    }
    canvas.dataset.drawn = "1";
    fetch(canvas.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error(r.status + " " + r.statusText);
        }
        return r.json();
      })
      .then(function (data) {
        var line = canvas.dataset.chart === "line";
        data.datasets.forEach(function (d, i) {
          var c = palette[i % palette.length];
          d.backgroundColor = line ? c + "33" : c;
          d.borderColor = c;
          d.skipNull = true;
          if (line) {
            d.stepped = "before"; // a rate holds until the next one
          }
        });
        new Chart(canvas, {
          type: line ? "line" : "bar",
          data: data,
          options: {
            animation: false,
            locale: document.documentElement.lang, // axes write numbers as the page's language does
            responsive: true,
            plugins: { legend: { position: "bottom" } },
            scales: { y: { beginAtZero: !line } }
          }
        });
        canvas.dataset.ready = "1";
      })
      .catch(function (err) {
        canvas.dataset.error = String(err);
      });
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  // The rule editor's tiers: where script runs, a row is added or removed
  // in the page; without it the same buttons post the form, which comes
  // back with a row more or less.
  function renumber(body) {
    [].forEach.call(body.rows, function (row, i) {
      row.cells[0].textContent = String(i + 1);
      row.querySelectorAll("input[aria-label]").forEach(function (input) {
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+$/, String(i + 1)));
      });
      row.querySelector("button[name=remove_tier]").value = String(i + 1);
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("#add-tier, #tiers button[name=remove_tier]");
    var body = document.querySelector("#tiers tbody");
    if (!button || !body || !body.rows.length) {
      return;
    }
    e.preventDefault();
    if (button.id === "add-tier") {
      var row = body.rows[body.rows.length - 1].cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
      });
      row.querySelectorAll(".field-error").forEach(function (el) {
        el.remove();
      });
      body.appendChild(row);
      row.querySelector("input").focus();
    } else if (body.rows.length > 1) {
      button.closest("tr").remove();
    } else {
      button.closest("tr").querySelectorAll("input").forEach(function (input) {
        input.value = "";
      });
    }
    renumber(body);
  });

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:load", function (e) {
    drawAll(e.target);
  });
})();
