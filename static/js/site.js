// Progressive enhancement for the registry's pages; every page works without it.
(function () {
  "use strict";

  // City names: each box asks for suggestions through htmx (its data-hx-* attributes,
  // cities/forms.py) and gets them in its own <datalist>. Boxes added after the page
  // loaded are handed to htmx here.
  function enhance(root) {
    if (window.htmx) window.htmx.process(root);
  }

  // Formsets: "Add another city" copies the empty row from a <template>.
  function setUpFormsetAdd(button) {
    var prefix = button.dataset.formsetAdd;
    var fieldset = button.closest("fieldset");
    var template = fieldset.querySelector("template[data-formset-template]");
    var rows = fieldset.querySelector("[data-formset-rows]");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      enhance(added);
      var first = added.querySelector("input, select");
      if (first) first.focus();
    });
  }

  // Several text boxes of one name (participating cities): add one more box on demand.
  function setUpRepeatedInputs(group) {
    if (group.dataset.repeatReady) return;
    group.dataset.repeatReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline small-button";
    button.textContent = "Add another " + (group.dataset.repeat || "value").toLowerCase();
    button.addEventListener("click", function () {
      var inputs = group.querySelectorAll("input");
      var template = inputs[inputs.length - 1];
      var copy = template.cloneNode(false);
      copy.value = "";
      copy.id = template.id.replace(/_\d+$/, "") + "_" + inputs.length;
      copy.setAttribute("aria-label", (group.dataset.repeat || "Value") + " " + (inputs.length + 1));
      group.insertBefore(copy, button);
      if (copy.hasAttribute("list")) {
        // Its own suggestions list, as the server gives each box.
        var list = document.createElement("datalist");
        list.id = copy.id + "-suggestions";
        copy.setAttribute("list", list.id);
        copy.setAttribute("data-hx-target", "#" + list.id);
        group.insertBefore(list, button);
      }
      enhance(copy);
      copy.focus();
    });
    group.appendChild(button);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add]").forEach(setUpFormsetAdd);
    document.querySelectorAll(".repeated-inputs").forEach(setUpRepeatedInputs);
  });

  // Filter forms: send (and put in the address bar) only the fields that say something.
  // Without JavaScript the server redirects to the same address without them.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var data = event.detail.formData;
    Array.from(new Set(data.keys())).forEach(function (name) {
      var kept = data.getAll(name).filter(function (value) {
        return typeof value !== "string" || value.trim() !== "";
      });
      data.delete(name);
      kept.forEach(function (value) { data.append(name, value); });
    });
  });
})();
