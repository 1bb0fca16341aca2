// The service page's editor, for browsers with script (the page works without it):
// "Add another" buttons that copy a formset's empty row, and a filter for the long list of
// languages. A static file, as the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function renumber(node, index) {
    // The empty row's names, ids and labels say __prefix__ where a row's number goes.
    ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
      node.querySelectorAll("[" + attribute + "*='__prefix__']").forEach(function (element) {
        element.setAttribute(attribute, element.getAttribute(attribute).split("__prefix__").join(String(index)));
      });
    });
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(prefix + "-template");
    var rows = document.getElementById(prefix + "-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var most = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!template || !rows || !total) {
      return;
    }
    button.parentElement.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      if (most && index >= parseInt(most.value, 10)) {
        return;
      }
      var row = template.content.cloneNode(true);
      renumber(row, index);
      var fieldset = row.querySelector("fieldset");
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = fieldset && fieldset.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  });

  var filter = document.getElementById("language-filter");
  var list = document.getElementById("language-choices");
  if (filter && list) {
    var count = document.getElementById("language-count");
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    };
    filter.parentElement.hidden = false;
    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var box = item.querySelector("input");
        // A ticked language stays in sight, so that what will be saved is never hidden.
        var keep = wanted === "" || (box && box.checked) || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !keep;
        if (keep) {
          shown += 1;
        }
      });
      if (count) {
        count.textContent = wanted === "" ? "" : count.getAttribute("data-template").replace("%(count)s", String(shown));
      }
    });
    filter.addEventListener("keydown", function (event) {
      // Enter in the filter would send the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }
})();
