// Small additions to the DSFR, loaded as a file (the Content-Security-Policy forbids inline scripts).
// List filters (directory, agenda): open by default, so that nothing is hidden without JavaScript; on a phone they
// fold behind their « Filtrer » button, unless a filter is in error; on a wider screen (a phone turned, a window
// made wider) they open again, since the button is not shown there.
(function () {
  var phone = window.matchMedia("(max-width: 47.99em)");
  var filters = document.querySelectorAll("details.ai-filters[data-fold-on-phone]");
  function fit() {
    filters.forEach(function (details) {
      details.open = !phone.matches;
    });
  }
  fit();
  phone.addEventListener("change", fit);
})();
