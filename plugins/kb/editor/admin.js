/* The knowledge base's additions to Decap CMS (/admin/): the form's messages in kb check's words, and a
   preview that looks like our entry page, with the "Draft — not published" label the site's preview shows.
   Everything it shows comes from the generated config.yml (labels of types, tags, networks, values). */
(function () {
  "use strict";
  var script = document.currentScript;
  var CMS = window.CMS, h = window.h;
  if (!CMS || !h) return;

  // Messages: "Summary is missing; it is required." and "Title is too long: at most 120 characters ..."
  var en = CMS.getLocale("en");
  if (en && en.editor && en.editor.editorControlPane) {
    var widget = en.editor.editorControlPane.widget;
    widget.required = "%{fieldLabel} is missing; it is required.";
    widget.regexPattern = "%{fieldLabel} %{pattern}";
    widget.rangeMin = "%{fieldLabel} needs at least %{minCount}; choose one or more.";
    // Saving never publishes: on this computer the button saves into your copy; on the git host it merges
    // the entry's pull request, which only a maintainer may do (the branch is protected).
    var local = script && script.getAttribute("data-backend") === "local";
    var toolbar = en.editor.editorToolbar;
    toolbar.publish = local ? "Save to my copy" : "Merge (maintainers)";
    toolbar.publishNow = local ? "Save to my copy now" : "Merge now (maintainers)";
    toolbar.publishing = local ? "Saving..." : "Merging...";
    toolbar.published = local ? "Saved to my copy" : "Merged";
    toolbar.publishAndCreateNew = local ? "Save and write another" : "Merge and write another";
    toolbar.publishAndDuplicate = local ? "Save and duplicate" : "Merge and duplicate";
    CMS.registerLocale("en", en);
  }

  // The rich-text editor escapes the brackets of our [[wiki links]] (\[[ref]]): put them back before saving.
  var WIKI = /\\?\[\\?\[([^\]\n]+?)\\?\]\\?\]/g;
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      var body = data.get("body");
      if (typeof body !== "string") return data;
      return data.set("body", body.replace(WIKI, function (_all, inner) {
        return "[[" + inner.replace(/\\([|_*])/g, "$1") + "]]";
      }));
    },
  });

  document.querySelectorAll('link[rel="kb-preview-style"]').forEach(function (link) {
    CMS.registerPreviewStyle(link.getAttribute("href"));
  });

  var SKIP = { title: 1, summary: 1, date: 1, status: 1, visibility: 1, body: 1, networks: 1, tags: 1 };

  function toJS(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  // The label a select shows for a stored id (tags and networks by name, values as words).
  function optionLabel(field, value) {
    var options = toJS(field.get("options")) || [];
    for (var i = 0; i < options.length; i++) {
      if (options[i] && options[i].value === value) return options[i].label;
    }
    return String(value);
  }

  // A group's values in the order of its fields, each as its own field shows it (a select by its label).
  function group(fields, item) {
    if (!fields) return Object.values(item).filter(Boolean).join(" · ");
    var parts = [];
    fields.forEach(function (sub) {
      var text = shown(sub, item[sub.get("name")]);
      if (text) parts.push(text);
    });
    return parts.join(" · ");
  }

  function shown(field, value) {
    value = toJS(value);
    if (value === undefined || value === null || value === "") return null;
    if (field.get("widget") === "select") {
      var values = Array.isArray(value) ? value : [value];
      return values.map(function (v) { return optionLabel(field, v); }).join(", ");
    }
    var fields = field.get("fields");
    if (Array.isArray(value)) {
      return value.map(function (item) {
        return item && typeof item === "object" ? group(fields, item) : String(item);
      }).join("; ");
    }
    if (typeof value === "object") return group(fields, value);
    return String(value);
  }

  function niceDate(text) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!parts) return text || "";
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"];
    return Number(parts[3]) + " " + months[Number(parts[2]) - 1] + " " + parts[1];
  }

  function fieldNamed(collection, name) {
    var found = null;
    collection.get("fields").forEach(function (f) { if (f.get("name") === name) found = f; });
    return found;
  }

  function EntryPreview(props) {
    var data = props.entry.get("data");
    var collection = props.collection;
    var status = data.get("status") || "draft";
    var kicker = [h("span", { className: "kb-type kb-type--" + collection.get("name"), key: "type" },
      collection.get("label_singular"))];
    if (data.get("date")) kicker.push(" · ", h("time", { key: "date", dateTime: data.get("date") }, niceDate(data.get("date"))));
    if (data.get("visibility") === "members") {
      kicker.push(" · ", h("span", { className: "kb-badge kb-badge--members", key: "members" }, "Members only"));
    }
    if (status !== "published") {
      kicker.push(" · ", h("span", { className: "kb-badge kb-badge--draft", key: "draft" },
        (status === "review" ? "In review" : "Draft") + " — not published"));
    }
    var facts = [];
    ["networks", "tags"].forEach(function (name) {
      var field = fieldNamed(collection, name);
      var text = field && shown(field, data.get(name));
      if (text) facts.push(h("dt", { key: name + "-t" }, field.get("label")), h("dd", { key: name + "-d" }, text));
    });
    collection.get("fields").forEach(function (field) {
      var name = field.get("name");
      if (SKIP[name]) return;
      var text = shown(field, data.get(name));
      if (text) facts.push(h("dt", { key: name + "-t" }, field.get("label")), h("dd", { key: name + "-d" }, text));
    });
    return h("div", { className: "md-content kb-admin-preview" },
      h("article", { className: "md-content__inner md-typeset" },
        h("header", { className: "kb-entry-header" },
          h("p", { className: "kb-kicker" }, kicker),
          h("h1", null, data.get("title") || "Untitled"),
          data.get("summary") ? h("p", { className: "kb-summary" }, data.get("summary")) : null,
          facts.length ? h("dl", { className: "kb-facts" }, facts) : null),
        props.widgetFor("body")));
  }

  // Decap's markup, repaired where the axe scan finds it short: names for the text editor, the preview
  // frame and the Markdown switch, and no button wrapped around a button. Run again whenever Decap redraws.
  function repair() {
    document.querySelectorAll("[data-slate-editor]:not([aria-label])").forEach(function (editor) {
      editor.setAttribute("aria-label", "Text of the entry");
    });
    document.querySelectorAll("iframe#preview-pane:not([title])").forEach(function (frame) {
      frame.setAttribute("title", "Preview of the entry as it will look on the site");
    });
    document.querySelectorAll('button[role="switch"]').forEach(function (toggle) {
      var control = toggle.closest("[class*=ControlContainer]") || toggle.parentElement;
      var markdown = !(control && control.querySelector("[data-slate-editor]"));
      if (toggle.getAttribute("aria-checked") !== String(markdown)) toggle.setAttribute("aria-checked", String(markdown));
      if (!toggle.hasAttribute("aria-label")) toggle.setAttribute("aria-label", "Write in Markdown");
    });
    document.querySelectorAll("span[aria-haspopup], span[aria-expanded]").forEach(function (wrapper) {
      var inner = wrapper.querySelector("button");
      if (!inner) return;  // the inner button opens the menu (its click reaches the wrapper): it says so, not the wrapper
      inner.setAttribute("aria-haspopup", "true");
      inner.setAttribute("aria-expanded", wrapper.getAttribute("aria-expanded") || "false");
      ["role", "tabindex", "aria-haspopup", "aria-expanded"].forEach(function (name) { wrapper.removeAttribute(name); });
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; repair(); });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-expanded", "aria-haspopup"] });

  // The collections are the entry types, named on our script tag by admin.html.
  var types = (script && script.getAttribute("data-types")) || "";
  types.split(" ").filter(Boolean).forEach(function (name) { CMS.registerPreviewTemplate(name, EntryPreview); });
})();
