/* django-celery-beat's periodic task form, without its inline script (blocked by the
   Content-Security-Policy): the crontab's help also says the schedule in words. Loaded by
   templates/admin/djcelery/change_periodictask_form.html. */
(function () {
  "use strict";
  var data = document.getElementById("readable-crontabs");
  var select = document.getElementById("id_crontab");
  var help = document.querySelector(".field-crontab .help");
  if (!data || !select || !help) { return; }
  var readable = JSON.parse(data.textContent);
  var original = help.textContent;
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) { translation.hidden = true; }
  function update() {
    var words = readable[select.value];
    help.textContent = words ? original + " — " + words : original;
  }
  select.addEventListener("change", update);
  update();
})();
