// Forms marked data-submit-once disable their buttons once submitted, so a double
// click sends one request. The server does not rely on this: a person has at most one
// live booking per event (a database constraint) and a repeat returns the first.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    // Disable after this tick so the clicked button's name/value still goes with the form.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });
})();
