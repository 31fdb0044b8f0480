// Registration page: add people to the group, and refresh the remaining seats every 30 seconds.
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) { return; }

  var addButton = document.getElementById("add-person");
  var template = document.getElementById("person-template");
  var container = document.getElementById("people-forms");
  var total = form.querySelector("input[name='people-TOTAL_FORMS']");
  var max = form.querySelector("input[name='people-MAX_NUM_FORMS']");
  if (addButton && template && container && total) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { addButton.disabled = true; return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 2));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = container.lastElementChild;
      var first = added && added.querySelector("input");
      if (first) { first.focus(); }
    });
  }

  var url = form.getAttribute("data-seats-url");
  function refresh() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.workshops.forEach(function (workshop) {
          var badge = form.querySelector("[data-workshop-seats='" + workshop.id + "']");
          if (badge && badge.textContent !== workshop.label) { badge.textContent = workshop.label; }
        });
      })
      .catch(function () { /* offline: the figures shown stay, the server checks again on submit */ });
  }
  if (url && window.fetch) { window.setInterval(refresh, 30000); }

  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
