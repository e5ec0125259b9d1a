// amaz-detainees site: table filters and chart tips. No library, nothing fetched; without it every row shows.
(function () {
  "use strict";

  function matches(row, term, selects) {
    if (term && row.textContent.toLowerCase().indexOf(term) === -1) { return false; }
    for (var i = 0; i < selects.length; i += 1) {
      var value = selects[i].value;
      var key = selects[i].getAttribute("data-filter-key");
      if (value && (row.getAttribute("data-" + key) || "").split("|").indexOf(value) === -1) { return false; }
    }
    return true;
  }

  function setUpFilters(table) {
    var controls = document.querySelectorAll('[data-filter-table="' + table.id + '"]');
    var text = null;
    var selects = [];
    controls.forEach(function (control) {
      if (control.tagName === "SELECT") { selects.push(control); } else { text = control; }
    });
    var count = document.getElementById(table.id.replace("-table", "-count"));
    var rows = table.tBodies[0].rows;
    function apply() {
      var term = text ? text.value.trim().toLowerCase() : "";
      var shown = 0;
      for (var i = 0; i < rows.length; i += 1) {
        var show = matches(rows[i], term, selects);
        rows[i].hidden = !show;
        if (show) { shown += 1; }
      }
      if (count) { count.textContent = String(shown); }
    }
    controls.forEach(function (control) {
      control.addEventListener("input", apply);
      control.addEventListener("change", apply);
    });
    apply();
  }

  function setUpTips() {
    var tip = document.getElementById("tip");
    if (!tip) { return; }
    function show(event) {
      var target = event.currentTarget;
      var box = target.getBoundingClientRect();
      tip.textContent = target.getAttribute("data-tip");
      tip.hidden = false;
      tip.style.left = Math.max(4, Math.min(window.innerWidth - 300, box.left)) + "px";
      tip.style.top = Math.max(4, box.top - 40) + "px";
    }
    function hide() { tip.hidden = true; }
    document.querySelectorAll("[data-tip]").forEach(function (mark) {
      mark.addEventListener("mouseenter", show);
      mark.addEventListener("focus", show);
      mark.addEventListener("mouseleave", hide);
      mark.addEventListener("blur", hide);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[id]").forEach(function (table) {
      if (document.querySelector('[data-filter-table="' + table.id + '"]')) { setUpFilters(table); }
    });
    setUpTips();
  });
}());
