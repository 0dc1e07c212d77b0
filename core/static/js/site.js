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
      details.classList.add("ai-folded"); // css/site.css: the <details> now folds by itself
    });
  }
  fit();
  phone.addEventListener("change", fit);
})();

// The département list follows the region chosen (filters of the directory and the agenda): only the région's
// départements are offered, and a département of another region is unselected. Without JavaScript the form
// does the same once sent (ambassadors/forms.py: DepartementSelect).
(function () {
  document.querySelectorAll("select[data-follows]").forEach(function (departements) {
    var form = departements.form;
    var region = form && form.elements[departements.getAttribute("data-follows")];
    if (!region) return;
    function follow() {
      var code = region.value;
      Array.prototype.forEach.call(departements.options, function (option) {
        var own = option.getAttribute("data-region");
        var shown = !own || !code || own === code;
        option.hidden = !shown;
        option.disabled = !shown;
        if (!shown && option.selected) departements.value = "";
      });
    }
    region.addEventListener("change", follow);
    follow();
  });
})();
