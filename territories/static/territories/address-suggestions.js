// Suggestions of the Base Adresse Nationale as one types a venue's address (agenda/templates/agenda/manage_edit.html,
// around the field: data-address-suggestions="<our endpoint>", data-postcode and data-commune: the ids of the
// postcode and commune fields). A native <datalist>: the browser shows the suggestions under the field, the arrow
// keys go through them, Enter or a click takes one; choosing one fills the postcode and the commune when they are
// empty. Without this script, or when the service is off or fails (our endpoint then answers []), the field is a
// plain text input.
(function () {
  "use strict";

  var DELAY = 250; // ms after the last key: one request per pause, not per key
  var MIN_LENGTH = 3;

  function setUp(box) {
    var input = box.querySelector("input");
    if (!input || !window.fetch) return;
    var url = box.getAttribute("data-address-suggestions");
    var postcode = document.getElementById(box.getAttribute("data-postcode") || "");
    var commune = document.getElementById(box.getAttribute("data-commune") || "");
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("aria-live", "polite");
    box.appendChild(list);
    box.appendChild(status);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off"); // the browser's own memory would hide the suggestions

    var known = {}; // the suggestions shown, by the value an option puts in the field
    var timer = null;
    var asked = "";
    var pending = null;

    function show(suggestions) {
      known = {};
      list.textContent = "";
      suggestions.forEach(function (s) {
        if (!s || typeof s.adresse !== "string" || known[s.adresse]) return;
        known[s.adresse] = s;
        var option = document.createElement("option");
        option.value = s.adresse;
        option.textContent = [s.code_postal, s.commune].filter(Boolean).join(" ");
        list.appendChild(option);
      });
      var count = list.children.length;
      status.textContent = count
        ? count + (count > 1 ? " adresses proposées" : " adresse proposée") + " sous le champ."
        : "";
    }

    function fill(s) {
      // A suggestion chosen: the postcode and the commune follow, unless already typed.
      if (postcode && !postcode.value.trim() && s.code_postal) postcode.value = s.code_postal;
      if (commune && !commune.value.trim() && s.commune) commune.value = s.commune;
    }

    function ask() {
      var q = input.value.replace(/\s+/g, " ").trim();
      if (q.length < MIN_LENGTH || q.length > 200 || q === asked) return;
      asked = q;
      var query = "?q=" + encodeURIComponent(q);
      var code = postcode ? postcode.value.trim() : "";
      if (/^\d{5}$/.test(code)) query += "&code_postal=" + code;
      if (pending && pending.abort) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + query, { headers: { Accept: "application/json" }, signal: pending ? pending.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (suggestions) {
          if (asked === q && Array.isArray(suggestions)) show(suggestions);
        })
        .catch(function () { /* aborted or unreachable: the field stays as it is */ });
    }

    input.addEventListener("input", function () {
      var chosen = known[input.value];
      if (chosen) {
        fill(chosen);
        return;
      }
      clearTimeout(timer);
      if (input.value.trim().length < MIN_LENGTH) {
        asked = "";
        show([]);
        return;
      }
      timer = setTimeout(ask, DELAY);
    });
    if (postcode) {
      postcode.addEventListener("change", function () { asked = ""; }); // another postcode: ask again
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-address-suggestions]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
