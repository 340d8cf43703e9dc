/* Admin additions, loaded by templates/admin/base_site.html. No inline handlers: the
   Content-Security-Policy blocks them. <select data-autosubmit> submits its form when changed. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
  });
})();
