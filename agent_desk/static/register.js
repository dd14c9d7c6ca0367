// The registration form: category search, the routing suggestion and the duplicate warning.
(function () {
  "use strict";
  const form = document.getElementById("register-form");
  if (!form) return;
  const $ = (name) => form.elements[name];
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const debounce = (fn, ms) => { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };
  const getJSON = (url, params) => fetch(url + "?" + new URLSearchParams(params), {headers: {Accept: "application/json"}})
    .then((r) => r.json().then((body) => ({ok: r.ok, body})));

  const categories = debounce(() => {
    getJSON(form.dataset.categories, {q: $("category").value}).then(({body}) => {
      const list = document.getElementById("category-list");
      list.replaceChildren(...body.map((c) => { const o = document.createElement("option"); o.value = c.label; return o; }));
    });
  }, 150);

  function routing() {
    const params = {category: $("category").value, district: $("district_code").value, block: $("block").value};
    if (!params.category || !params.district) return;
    getJSON(form.dataset.route, params).then(({ok, body}) => {
      document.getElementById("route").textContent = ok
        ? `${body.department} → ${body.officer} (L${body.level}) · ${DESK.due} ${body.due}`
        : body.reason;
    });
  }

  function similar() {
    const params = {mobile: $("mobile").value, district: $("district_code").value, category: $("category").value,
                    description: $("description").value, draft: $("draft").value};
    getJSON(form.dataset.similar, params).then(({body}) => {
      const box = document.getElementById("similar-box"), list = document.getElementById("similar");
      list.replaceChildren(...body.map((s) => {
        const li = document.createElement("li");
        li.textContent = `${s.id} · ${s.status} · ${s.description} `;
        const f = document.createElement("form");
        f.method = "post"; f.action = form.dataset.link; f.className = "inline";
        for (const [k, v] of Object.entries({csrf_token: csrf, existing: s.id, draft: $("draft").value})) {
          const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.append(i);
        }
        const b = document.createElement("button"); b.textContent = DESK.link; f.append(b);
        li.append(f);
        return li;
      }));
      box.hidden = body.length === 0;
    });
  }

  function blocks() {
    fetch(form.dataset.categories.replace("categories.json", "blocks.json") + "?district=" + $("district_code").value)
      .then((r) => r.json()).then((rows) => {
        document.getElementById("block-list").replaceChildren(...rows.map((b) => {
          const o = document.createElement("option"); o.value = b.code; o.label = b.name; return o; }));
      });
  }

  $("category").addEventListener("input", categories);
  $("category").addEventListener("change", () => { routing(); similar(); });
  $("district_code").addEventListener("change", () => { blocks(); routing(); similar(); });
  $("block").addEventListener("change", routing);
  $("mobile").addEventListener("change", similar);
  $("description").addEventListener("change", similar);
  const use = document.getElementById("use-transcript");
  const transcript = document.getElementById("transcript");
  if (use) use.addEventListener("click", () => { $("description").value = transcript.textContent.trim(); });
  // Speech-to-text may finish after the call reached the agent: look again until it is there.
  function awaitTranscript(triesLeft) {
    if (!transcript || transcript.dataset.ready === "1" || triesLeft <= 0) return;
    getJSON(transcript.dataset.url, {}).then(({ok, body}) => {
      if (ok && body.transcript) {
        transcript.textContent = body.transcript;
        transcript.dataset.ready = "1";
        use.hidden = false;
      } else {
        setTimeout(() => awaitTranscript(triesLeft - 1), 2000);
      }
    });
  }
  awaitTranscript(90);
  categories(); routing(); similar();
  if ($("district_code").value) blocks();
})();
