/* The light/dark toggle in the header, in place of Material's palette component. The page was painted in the
 * right palette already (the inline script at the top of the body: the reader's choice, else the system's), so
 * loading a page only shows the right toggle and changes no style; Material's component set every palette
 * attribute again and read the header's computed style, recomputing every element's style on every page.
 * A click on the toggle, Enter on it, or an arrow key between its options switches and remembers the choice
 * in Material's own storage (__md_set), so its inline script and this one read the same record. Until the
 * reader chooses, the page follows the system's scheme as it changes. */
(function () {
  "use strict";
  var form = document.querySelector("[data-kb-component=palette]");
  if (!form || !window.__md_get || !window.__md_set) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
  if (!inputs.length) return;
  var body = document.body;
  var KEYS = ["media", "scheme", "primary", "accent"];

  function colors(input) {
    var color = {};
    KEYS.forEach(function (key) { color[key] = input.getAttribute("data-md-color-" + key) || ""; });
    return color;
  }

  function inUse() {
    for (var i = 0; i < inputs.length; i++) {
      if (["scheme", "primary", "accent"].every(function (key) {
        return inputs[i].getAttribute("data-md-color-" + key) === body.getAttribute("data-md-color-" + key);
      })) return i;
    }
    return 0;
  }

  function show(index) {  // each label offers the next palette: only the label of the one in use is shown
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL") label.hidden = i !== index;
    });
    inputs[index].checked = true;
  }

  function apply(index) {
    var color = colors(inputs[index]);
    body.setAttribute("data-md-color-switching", "");  // Material's palette.css: no transitions while switching
    KEYS.forEach(function (key) { body.setAttribute("data-md-color-" + key, color[key]); });
    show(index);
    setTimeout(function () { body.removeAttribute("data-md-color-switching"); }, 0);
    return color;
  }

  function remember(palette) {  // __md_set reads localStorage before its own try: a refusal would throw here
    try { window.__md_set("__palette", palette); } catch (e) { /* the choice lasts for this page only */ }
  }

  function chosen() {  // a browser that refuses storage throws here: then nothing is chosen
    try { return window.__md_get("__palette"); } catch (e) { return null; }
  }

  show(inUse());
  inputs.forEach(function (input, index) {
    input.addEventListener("change", function () {
      if (input.checked) remember({ index: index, color: apply(index) });
    });
  });
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var next = inputs[(inUse() + 1) % inputs.length];
    next.click();
    next.focus();
  });
  inputs.forEach(function (input, index) {  // the system's scheme changes: followed until the reader chooses
    var media = input.getAttribute("data-md-color-media");
    if (!media || !window.matchMedia) return;
    var query = window.matchMedia(media);
    var follow = function () { if (query.matches && !chosen()) apply(index); };
    if (query.addEventListener) query.addEventListener("change", follow);
  });
})();
