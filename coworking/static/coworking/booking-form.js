// Show the start and end times only for bookings by the hour (the form works without it).
(function () {
  const form = document.querySelector("[data-booking-form]");
  if (!form) return;
  const times = form.querySelectorAll("#div_id_start_time, #div_id_end_time");
  function update() {
    const checked = form.querySelector("input[name=period]:checked");
    const hourly = checked && checked.value === "hours";
    times.forEach(function (el) { el.hidden = !hourly; });
  }
  form.addEventListener("change", update);
  update();
})();
