// The call desk: the agent's queue state and screen pops, pushed by the server (SSE).
(function () {
  "use strict";
  const pop = document.getElementById("pop");
  const stateEl = document.getElementById("agent-state");
  const reasonEl = document.getElementById("agent-reason");
  const field = (name) => pop.querySelector(`[data-pop="${name}"]`);

  function showState(data) {
    stateEl.textContent = data.state;
    stateEl.className = "state " + data.state;
    reasonEl.textContent = data.reason || "";
  }

  function showPop(data) {
    field("caller").textContent = data.caller || "";
    field("draft").textContent = data.draft || "—";
    field("district").textContent = data.district_name ? data.district_name[DESK.lang] : (data.district || "—");
    field("transcript").textContent = data.transcript || "…";
    const audio = field("recording");
    if (data.recording_url) { audio.src = data.recording_url; audio.hidden = false; } else { audio.hidden = true; }
    const list = field("earlier");
    list.replaceChildren();
    for (const e of data.earlier || []) {
      const li = document.createElement("li");
      li.textContent = `${e.id} · ${e.status} · ${e.created} · ${e.description}`;
      list.append(li);
    }
    if (!list.children.length) { const li = document.createElement("li"); li.textContent = DESK.none; list.append(li); }
    field("register").href = data.register_url;
    pop.hidden = false;
    pop.classList.add("pop");
    pop.dataset.draft = data.draft || "";
    document.title = "☎ " + (data.caller || "") + " · " + document.title.replace(/^☎ [^·]*· /, "");
  }

  // Queue log-in, pause and resume go by fetch: reloading the page would drop the desk phone's call.
  // The new state arrives by the event stream.
  for (const form of document.querySelectorAll("#presence form")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const data = new FormData(form);
      if (e.submitter && e.submitter.name) data.append(e.submitter.name, e.submitter.value);
      fetch(form.getAttribute("action"), {method: "POST", body: data, headers: {Accept: "application/json"}})
        .then((r) => r.json()).then((body) => { reasonEl.textContent = body.error || ""; })
        .catch(() => form.submit());
    });
  }

  fetch(document.getElementById("presence").dataset.url, {headers: {Accept: "application/json"}})
    .then((r) => r.json()).then(showState).catch(() => {});
  const source = new EventSource(DESK.events);
  source.addEventListener("state", (e) => showState(JSON.parse(e.data)));
  source.addEventListener("pop", (e) => showPop(JSON.parse(e.data)));
  window.deskEvents = source;
})();
