// django-import-export's export page ticks or clears every field from its "Select all"
// box through an inline onchange, which the CSP refuses: the same handler, attached here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
