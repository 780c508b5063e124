// The instance page's step-through: the slider goes to its event when let go (the links and the
// "go" button do the same without JavaScript).
"use strict";

(() => {
  const slider = document.getElementById("at");
  if (!slider) return;
  const shown = document.getElementById("at-shown");
  const persian = document.documentElement.lang === "fa";
  document.querySelectorAll(".step-slider .js-hidden").forEach((button) => { button.style.display = "none"; });
  slider.addEventListener("input", () => {
    if (shown) shown.textContent = Number(slider.value).toLocaleString(persian ? "fa-IR" : "en", { useGrouping: false });
  });
  slider.addEventListener("change", () => slider.form.submit());
})();
