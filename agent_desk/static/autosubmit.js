// A <select data-autosubmit> submits its form when changed (the grades page's month).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
