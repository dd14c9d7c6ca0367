// The portal's one script: fill the optional location from the phone, when the citizen asks.
(function () {
  var button = document.getElementById("locate");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (where) {
      document.getElementById("lat").value = where.coords.latitude.toFixed(6);
      document.getElementById("long").value = where.coords.longitude.toFixed(6);
    });
  });
})();
