// Drawn signature: pointer strokes on a canvas, sent as a PNG data URL in a hidden field.
(function () {
  "use strict";
  document.querySelectorAll("form[data-signature-form]").forEach(function (form) {
    var canvas = form.querySelector("canvas");
    var input = form.querySelector("input[name=signature]");
    var clear = form.querySelector("[data-signature-clear]");
    var status = form.querySelector("[data-signature-status]");
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var inked = false;

    function resize() {
      // Match the drawing buffer to the displayed size so strokes land under the finger.
      var ratio = window.devicePixelRatio || 1;
      var width = canvas.clientWidth;
      var height = canvas.clientHeight;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      inked = false;
      input.value = "";
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 0.1, p.y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      event.preventDefault();
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      inked = true;
    });
    function stop() {
      if (drawing && inked) {
        input.value = canvas.toDataURL("image/png");
        if (status) { status.textContent = status.dataset.signed; }
      }
      drawing = false;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        resize();
        if (status) { status.textContent = status.dataset.empty; }
      });
    }
    form.addEventListener("submit", function (event) {
      if (!input.value) {
        event.preventDefault();
        if (status) { status.textContent = status.dataset.empty; }
        canvas.focus();
      }
    });
    resize();
  });
})();
