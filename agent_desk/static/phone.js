// The desk's own phone (WebRTC, JsSIP): registers when the call desk opens, rings with the
// queue's call (the screen pop comes by the event stream at the same moment), answers, mutes,
// holds and hangs up. The credential is fresh on every load (POST /agent/phone).
(function () {
  "use strict";
  const card = document.getElementById("phone");
  if (!card || !window.JsSIP) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = (key) => card.dataset["t" + key] || key;
  const $ = (name) => card.querySelector(`[data-phone="${name}"]`);
  const audio = $("audio");
  const autoAnswer = $("auto-answer");
  let ua = null;
  let session = null;

  // The phone's state for the agent (and for tests): registering, registered, failed, ringing,
  // talking, held, ended, other_phone.
  function show(state, detail) {
    card.dataset.state = state;
    $("state").textContent = text(state) + (detail ? ` (${detail})` : "");
    $("answer").disabled = state !== "ringing";
    $("hangup").disabled = !["ringing", "talking", "held"].includes(state);
    $("mute").disabled = $("hold").disabled = !["talking", "held"].includes(state);
  }

  function playRemote() {
    const pc = session && session.connection;
    if (!pc) return;
    const stream = new MediaStream();
    pc.getReceivers().forEach((r) => r.track && stream.addTrack(r.track));
    audio.srcObject = stream;
    audio.play().catch(() => {});
  }

  function answer() {
    if (!session) return;
    session.answer({mediaConstraints: {audio: true, video: false}, pcConfig: {iceServers: []}});
  }

  function onSession(e) {
    if (e.originator !== "remote") return;
    if (session) { e.session.terminate({status_code: 486}); return; }
    session = e.session;
    const caller = session.remote_identity.uri.user || "";
    $("caller").textContent = session.remote_identity.display_name || caller;
    session.on("confirmed", () => { show("talking"); playRemote(); });
    session.on("hold", () => show("held"));
    session.on("unhold", () => show("talking"));
    const ended = (ev) => {
      show(ua && ua.isRegistered() ? "ended" : "registering", ev && ev.cause);
      session = null;
      audio.srcObject = null;
      $("mute").textContent = text("mute-label");
      $("hold").textContent = text("hold-label");
    };
    session.on("ended", ended);
    session.on("failed", ended);
    show("ringing");
    if (autoAnswer.checked) answer();
  }

  function start(config) {
    const socket = new JsSIP.WebSocketInterface(config.ws_url);
    ua = new JsSIP.UA({
      sockets: [socket], uri: config.uri, password: config.password,
      display_name: config.display_name, register: true, register_expires: 120,
      session_timers: false, user_agent: "Helpline desk (JsSIP)",
    });
    ua.on("registered", () => show(session ? card.dataset.state : "registered"));
    ua.on("unregistered", () => show("registering"));
    ua.on("registrationFailed", (e) => show("failed", e.cause));
    ua.on("disconnected", () => show("registering"));
    ua.on("newRTCSession", onSession);
    card.dataset.interface = config.interface;
    ua.start();
  }

  $("answer").addEventListener("click", answer);
  $("hangup").addEventListener("click", () => session && session.terminate());
  $("mute").addEventListener("click", () => {
    if (!session) return;
    const muted = session.isMuted().audio;
    muted ? session.unmute({audio: true}) : session.mute({audio: true});
    $("mute").textContent = text(muted ? "mute-label" : "unmute-label");
  });
  $("hold").addEventListener("click", () => {
    if (!session) return;
    const held = session.isOnHold().local;
    held ? session.unhold() : session.hold();
    $("hold").textContent = text(held ? "hold-label" : "unhold-label");
  });
  autoAnswer.checked = localStorage.getItem("helpline.autoAnswer") === "1";
  autoAnswer.addEventListener("change", () =>
    localStorage.setItem("helpline.autoAnswer", autoAnswer.checked ? "1" : "0"));
  window.addEventListener("beforeunload", () => ua && ua.stop());

  show("registering");
  fetch(card.dataset.url, {method: "POST", headers: {"X-CSRFToken": csrf, "Accept": "application/json"}})
    .then((r) => r.json().then((body) => ({status: r.status, body})))
    .then(({status, body}) => {
      if (status === 409) { show("other_phone", body.interface); return; }
      if (status !== 200) { show("failed", body.message || status); return; }
      start(body);
    })
    .catch((err) => show("failed", String(err)));
  window.deskPhone = {
    get state() { return card.dataset.state; },
    get callId() { return session ? session.id : null; },
  };
})();
