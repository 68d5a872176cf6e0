// The review queue's "Select all" and "Clear the selection" tick or untick the boxes in place.
// Without JavaScript the same links reload the queue with every box ticked, or none.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-select]");
  const form = link && link.closest("form");
  if (!form) {
    return;
  }
  event.preventDefault();
  const tick = link.dataset.select === "all";
  for (const box of form.elements) {
    if (box.type === "checkbox" && box.name === "update") {
      box.checked = tick;
    }
  }
});
