// The wallboard: the queue's live numbers every two seconds, in place (no reload).
(function () {
  "use strict";
  const board = document.getElementById("wallboard");
  const labels = JSON.parse(board.dataset.stateLabels || "{}");
  const warnWait = Number(board.dataset.warnWait || 60);
  const field = (name) => board.querySelector(`[data-board="${name}"]`);
  const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : board.dataset.none;

  function show(data) {
    field("offline").hidden = data.asterisk !== false;
    const q = (data.queues || [])[0];
    if (!q) return;
    for (const key of ["waiting", "longest_wait_s", "in_ivr", "answered", "abandoned",
                       "service_level_s", "average_wait_s", "average_talk_s"]) {
      field(key).textContent = q[key];
    }
    field("service_level").textContent = q.service_level === null ? board.dataset.none : q.service_level + "%";
    field("waiting").closest(".tile").classList.toggle("alert", q.waiting > 0 && q.longest_wait_s >= warnWait);
    field("longest_wait_s").closest(".tile").classList.toggle("alert", q.longest_wait_s >= warnWait);
    const rows = q.agents.map((a) => {
      const tr = document.createElement("tr");
      tr.dataset.agent = a.name;
      for (const text of [a.name, labels[a.state] || a.state, a.paused_reason, time(a.since), a.calls_taken,
                          a.average_handle_s ?? board.dataset.none, a.caller || "", a.draft || ""]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      tr.children[1].className = "state " + a.state;
      return tr;
    });
    board.querySelector("#board-agents tbody").replaceChildren(...rows);
    board.dataset.waiting = q.waiting;
  }

  function refresh() {
    fetch(board.dataset.url, {headers: {Accept: "application/json"}})
      .then((r) => r.json()).then(show).catch(() => show({asterisk: false}))
      .finally(() => setTimeout(refresh, 2000));
  }
  refresh();
})();
