// Survey conditions, as progressive enhancement: a question with a condition ("show B if A was answered
// with option X") is hidden while its condition does not hold, and its inputs are disabled so that nothing
// of it is sent. Without JavaScript every question is shown with a hint when to answer it; the server
// applies the same rule either way (answers to questions whose condition is not met are ignored).
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll(".survey-q"));

  function asked(q, shown) {
    var name = q.getAttribute("data-when-name");
    if (!name) return true;
    var owner = document.getElementById("survey-q-" + name.slice(1));
    if (owner && !shown[owner.id]) return false;
    var inputs = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === q.getAttribute("data-when-value") && inputs[i].checked) return true;
    }
    return false;
  }

  function apply() {
    var shown = {};
    questions.forEach(function (q) {
      var on = asked(q, shown);
      shown[q.id] = on;
      q.hidden = !on;
      Array.prototype.forEach.call(q.querySelectorAll("input, select, textarea"), function (el) {
        el.disabled = !on;
      });
    });
  }

  form.addEventListener("change", apply);
  apply();
})();
