/* Report run form: the two dates matter only for the "custom" period, so hide them otherwise. */
(function () {
  "use strict";
  var dates = document.getElementById("custom-period");
  var period = dates && document.getElementById(dates.dataset.periodField);
  if (!period) { return; }
  function sync() { dates.hidden = period.value !== "custom"; }
  period.addEventListener("change", sync);
  sync();
})();
