// Reload the page every data-seconds, unless a drop-down is open (the supervisor's board).
(() => {
  const seconds = Number(document.currentScript.dataset.seconds || 8);
  setTimeout(() => {
    if (!document.activeElement || document.activeElement.tagName !== "SELECT") location.reload();
  }, seconds * 1000);
})();
