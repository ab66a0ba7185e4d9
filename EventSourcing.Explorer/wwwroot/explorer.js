// The explorer's only script: charts from data-chart attributes, the version slider, and the live tail.
(() => {
  "use strict";

  function drawCharts() {
    for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
      const config = JSON.parse(canvas.dataset.chart || "{}");
      if (!config.type || !window.Chart) continue;
      new window.Chart(canvas, {
        type: config.type,
        data: { labels: config.labels, datasets: config.datasets.map((d) => ({ label: d.label, data: d.data })) },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            x: { stacked: !!config.stacked },
            y: { stacked: !!config.stacked, beginAtZero: true, title: { display: !!config.yTitle, text: config.yTitle || "" } },
          },
        },
      });
    }
  }

  function versionSlider() {
    const slider = document.querySelector("input[data-testid=version-slider]");
    if (!slider) return;
    slider.addEventListener("change", () => { window.location.href = slider.dataset.href + slider.value; });
  }

  function cell(row, text, href) {
    const td = row.insertCell();
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
  }

  function liveTail() {
    const table = document.getElementById("live-tail");
    if (!table) return;
    const body = table.tBodies[0];
    let after = null;
    const since = table.dataset.since;
    const type = table.dataset.aggregateType || "";
    async function poll() {
      const query = new URLSearchParams();
      if (after === null) query.set("since", since); else query.set("after", after);
      if (type) query.set("aggregateType", type);
      try {
        const response = await fetch("/tail?" + query.toString(), { headers: { accept: "application/json" } });
        if (response.ok) {
          const page = await response.json();
          table.dataset.status = page.status;
          for (const e of page.events) {
            const row = body.insertRow(0);
            row.dataset.testid = "tail-row";
            cell(row, String(e.position));
            cell(row, e.aggregateType + "/" + e.aggregateId, "/aggregates/" + e.aggregateId + "?v=" + e.aggregateVersion);
            cell(row, String(e.aggregateVersion));
            cell(row, e.eventType);
            cell(row, e.occurredAt);
          }
          while (body.rows.length > 200) body.deleteRow(body.rows.length - 1);
          if (page.after !== null && page.after !== undefined) after = page.after;
        } else {
          table.dataset.status = "refused " + response.status;
        }
      } catch {
        table.dataset.status = "unreachable";
      }
      setTimeout(poll, 1000);
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawCharts();
    versionSlider();
    liveTail();
  });
})();
