// The HTML report's only script, inlined into the page (src/report/html.rs): shows the filters
// (rule, severity, search) and applies them; opens every section before printing. The page is
// complete without it.
(function () {
  var filters = document.getElementById("filters");
  if (!filters) return;
  var rule = document.getElementById("filter-rule");
  var severity = document.getElementById("filter-severity");
  var search = document.getElementById("filter-search");
  var count = document.getElementById("filter-count");
  function apply() {
    var wanted = search.value.toLowerCase();
    var total = 0;
    document.querySelectorAll("details.rule").forEach(function (group) {
      var shown = 0;
      var ruleMatches = !rule.value || group.dataset.rule === rule.value;
      group.querySelectorAll("li.finding").forEach(function (item) {
        var visible = ruleMatches &&
          (!severity.value || item.dataset.severity === severity.value) &&
          (!wanted || item.textContent.toLowerCase().indexOf(wanted) !== -1);
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      group.hidden = shown === 0;
      total += shown;
    });
    count.textContent = total + " shown";
  }
  [rule, severity, search].forEach(function (input) {
    input.addEventListener("input", apply);
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) { details.open = true; });
  });
  filters.hidden = false;
  apply();
})();
