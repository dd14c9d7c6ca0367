// The import page: poll the job until it is done, filling the progress bar and the error table.
(function () {
  "use strict";
  const box = document.getElementById("import");
  const bar = document.getElementById("import-progress");
  function poll() {
    fetch(box.dataset.url, {headers: {Accept: "application/json"}}).then((r) => r.json()).then((job) => {
      bar.value = job.percent;
      for (const el of box.querySelectorAll("[data-k]")) el.textContent = job[el.dataset.k];
      if (job.errors) {
        document.getElementById("import-errors").replaceChildren(...job.errors.map((e) => {
          const tr = document.createElement("tr");
          for (const v of [e.row, e.field, e.message]) { const td = document.createElement("td"); td.textContent = v; tr.append(td); }
          return tr;
        }));
      }
      if (job.status === "queued" || job.status === "running") setTimeout(poll, 500);
    });
  }
  poll();
})();
