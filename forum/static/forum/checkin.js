// Check-in: read ticket QR codes with the device camera (BarcodeDetector) and post them.
// Without camera or BarcodeDetector, the manual code form and the name search still work.
(function () {
  "use strict";
  var section = document.getElementById("scanner");
  if (!section) { return; }
  var startButton = document.getElementById("start-scan");
  var video = document.getElementById("scan-video");
  var result = document.getElementById("scan-result");
  var csrf = document.querySelector("#code-form input[name='csrfmiddlewaretoken']");

  function say(message, ok) {
    result.textContent = message;
    result.className = "mt-2 alert " + (ok ? "alert-success" : "alert-danger");
  }

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(section.getAttribute("data-unsupported"), false);
    return;
  }
  startButton.hidden = false;
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var lastCode = null;
  var lastTime = 0;
  var busy = false;

  function send(code) {
    var body = new URLSearchParams();
    body.append("code", code);
    body.append("edition", section.getAttribute("data-edition"));
    body.append("at", section.getAttribute("data-at"));
    busy = true;
    return fetch(section.getAttribute("data-scan-url"), {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      credentials: "same-origin",
      body: body
    }).then(function (response) { return response.json(); })
      .then(function (data) { say(data.message, data.ok); if (navigator.vibrate && data.ok) { navigator.vibrate(100); } })
      .catch(function () { say(section.getAttribute("data-camera-error"), false); })
      .then(function () { busy = false; });
  }

  function scan() {
    if (video.readyState >= 2 && !busy) {
      detector.detect(video).then(function (codes) {
        if (!codes.length) { return; }
        var code = codes[0].rawValue;
        var now = Date.now();
        // The same ticket stays in front of the camera for a while: send it once.
        if (code === lastCode && now - lastTime < 4000) { return; }
        lastCode = code;
        lastTime = now;
        send(code);
      }).catch(function () {});
    }
    window.requestAnimationFrame(scan);
  }

  startButton.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        startButton.hidden = true;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(scan); })
      .catch(function () { say(section.getAttribute("data-camera-error"), false); });
  });
})();
