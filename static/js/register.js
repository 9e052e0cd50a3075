// The register's "select everyone on this page" box. Without JavaScript the box stays
// hidden and people tick rows one by one.
document.querySelectorAll("[data-select-all]").forEach((box) => {
  const name = box.dataset.selectAll;
  const rows = () => box.form ? box.form.querySelectorAll(`input[type=checkbox][name="${name}"]`) : [];
  box.hidden = false;
  box.addEventListener("change", () => rows().forEach((row) => { row.checked = box.checked; }));
});
