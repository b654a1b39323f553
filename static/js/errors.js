/* Move the focus to the error summary when a form comes back with errors, so that a screen reader reads it
   and the keyboard starts there (GOV.UK error summary pattern). */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
