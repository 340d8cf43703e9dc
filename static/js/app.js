/* Behaviour shared by the staff pages. No framework: Bootstrap, HTMX and Tom Select. */
(function () {
  "use strict";

  // Autocomplete: <select data-autocomplete-url="..."> loads options as the user types.
  function enhance(root) {
    root.querySelectorAll("select[data-autocomplete-url]:not(.tomselected)").forEach(function (select) {
      var url = select.dataset.autocompleteUrl;
      // data-autocomplete-forward="param:field" sends the value of another field of the
      // form (the chosen unit, for a position picker) and reloads when that field changes.
      var forward = (select.dataset.autocompleteForward || "").split(":");
      var source = forward.length === 2 && select.form ? select.form.elements[forward[1]] : null;
      function forwarded() {
        return source && source.value ? "&" + forward[0] + "=" + encodeURIComponent(source.value) : "";
      }
      var tom = new TomSelect(select, {
        valueField: "id",
        labelField: "text",
        searchField: [],
        maxOptions: 20,
        loadThrottle: 250,
        preload: source ? "focus" : false,
        shouldLoad: function (query) { return query.length >= 2 || forwarded() !== ""; },
        load: function (query, callback) {
          var sep = url.indexOf("?") >= 0 ? "&" : "?";
          fetch(url + sep + "q=" + encodeURIComponent(query) + forwarded(), { headers: { "Accept": "application/json" } })
            .then(function (r) { return r.json(); })
            .then(function (data) { callback(data.results); })
            .catch(function () { callback(); });
        },
        onChange: function () { select.dispatchEvent(new Event("change", { bubbles: true })); },
        render: {
          no_results: function () { return '<div class="no-results">' + (select.dataset.noResults || "—") + "</div>"; },
        },
      });
      if (source) {
        source.addEventListener("change", function () {
          tom.clear(true);
          tom.clearOptions();
          tom.loadedSearches = {};
          tom.settings.preload && tom.load("");
        });
      }
    });
    // Confirmation before an action that changes records: <form data-confirm="...">.
    root.querySelectorAll("form[data-confirm]:not([data-confirm-bound])").forEach(function (form) {
      form.setAttribute("data-confirm-bound", "1");
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  // No inline handlers (the Content-Security-Policy blocks them): behaviour by data attributes.
  // <select data-autosubmit> submits its form when changed; <button data-print> prints the page.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
