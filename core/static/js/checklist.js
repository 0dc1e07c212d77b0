// core.widgets.Checklist: a search box that narrows a long list of checkboxes, and a count of the ticked ones.
// Without this script the list is plain checkboxes; nothing here is needed to choose.
(function () {
  "use strict";

  var NBSP = "\u00a0";

  function fold(text) {
    // « Élise » is found by « elise »: no accents, no case.
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function number(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function ticked(count) {
    return number(count) + " case" + (count > 1 ? "s cochées" : " cochée");
  }

  function setUp(set) {
    var tools = set.querySelector("[data-checklist-tools]");
    var search = set.querySelector("[data-checklist-filter]");
    var count = set.querySelector("[data-checklist-count]");
    var none = set.querySelector("[data-checklist-none]");
    var options = Array.prototype.slice.call(set.querySelectorAll("[data-checklist-option]"));
    var total = options.length;
    var words = options.map(function (option) { return fold(option.textContent); });

    function update() {
      var query = fold(search.value);
      var shown = 0;
      var checked = 0;
      options.forEach(function (option, i) {
        var box = option.querySelector("input[type=checkbox]");
        var visible = !query || words[i].indexOf(query) !== -1;
        option.hidden = !visible;
        if (visible) shown += 1;
        if (box && box.checked) checked += 1;
      });
      none.hidden = shown > 0;
      var text = ticked(checked) + " sur " + number(total);
      if (query) text += " ; " + number(shown) + " affichée" + (shown > 1 ? "s" : "") + " pour «" + NBSP + search.value.trim() + NBSP + "»";
      count.textContent = text + ".";
    }

    search.addEventListener("input", update);
    search.addEventListener("keydown", function (event) {
      // Enter in the search box narrows the list; it must not send the whole form.
      if (event.key === "Enter") event.preventDefault();
    });
    set.addEventListener("change", function (event) {
      if (event.target !== search) update();
    });
    tools.hidden = false;
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-checklist]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
