// A form sent back with errors: move the focus to its error summary (templates/_error_summary.html),
// so keyboard and screen-reader users start from the list of what to correct. A link of the summary
// focuses its field. A file of its own: the Content-Security-Policy refuses inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
});
