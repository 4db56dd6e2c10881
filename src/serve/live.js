/* qissa serve: keeps an open page in step with the build (added to pages as they are
   served, never written into the built site).

   "reload" (the first build, a stylesheet, script, photo or other file changed, or the tab
   missed messages): the page reloads. "update" (only HTML pages changed): the page fetches
   its own URL and changes the document only where the page's source changed, so what the
   reader's scroll position, focus, text size and the page's own scripts did stays, and no
   stylesheet or font is asked for again. Whenever it cannot be sure of the result (a script
   changed, a page script rearranged the part that changed, new content needs a script, any
   error), it reloads instead. If the connection drops (the server restarted), it reloads
   once the server is back. */
(function () {
  "use strict";
  var own = document.currentScript;
  var build = own ? own.getAttribute("data-build") : null;
  var stopped = new Promise(function () {});

  function reload() {
    location.reload();
    return stopped;
  }

  // The page at `url` as the server has it now, parsed; `build` is the build it comes from.
  function fetchPage(url) {
    return fetch(url, { cache: "no-store", credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.text().then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var script = doc.getElementById("qissa-reload");
        var made = script ? script.getAttribute("data-build") : null;
        // The build number changes with every build; it is not part of the page.
        if (script) script.removeAttribute("data-build");
        return { doc: doc, build: made, url: r.url, redirected: r.redirected };
      });
    });
  }

  // A script the browser would run (JSON-LD and other data blocks are only text).
  function runs(node) {
    if (node.nodeName !== "SCRIPT") return false;
    var type = (node.getAttribute("type") || "").trim().toLowerCase();
    return type === "" || type === "module" || /^(text|application)\/(x-)?(java|ecma)script$/.test(type);
  }

  // Content that a page script may have to set up when the page loads: inserting it
  // without the script running again could show it broken.
  var NEEDS_SCRIPT = "script,button,input,select,textarea,form,iframe,object,embed,template,[hidden]";

  function needsScript(node) {
    if (node.nodeType !== 1) return false;
    return node.matches(NEEDS_SCRIPT) || node.querySelector(NEEDS_SCRIPT) !== null;
  }

  // Makes `live`, which shows the source `old`, show the source `next`. Returns false when
  // that cannot be done safely; the page is then reloaded.
  function patch(old, next, live) {
    if (old.isEqualNode(next)) return true;
    if (!live || old.nodeType !== next.nodeType || old.nodeName !== next.nodeName ||
        live.nodeName !== old.nodeName) return false;
    if (old.nodeType === 3 || old.nodeType === 8) {
      if (live.data !== old.data) return false;
      live.data = next.data;
      return true;
    }
    if (old.nodeType !== 1 || runs(old) || runs(next) || old.nodeName === "TEMPLATE") return false;
    patchAttributes(old, next, live);
    return patchChildren(old, next, live);
  }

  // Only the attributes whose source changed: the others keep what scripts set.
  function patchAttributes(old, next, live) {
    Array.prototype.forEach.call(next.attributes, function (a) {
      if (old.getAttribute(a.name) !== a.value) live.setAttribute(a.name, a.value);
    });
    Array.prototype.forEach.call(old.attributes, function (a) {
      if (!next.hasAttribute(a.name)) live.removeAttribute(a.name);
    });
  }

  // The children that stayed the same at both ends are kept; those between are patched
  // one by one when they are the same kinds of node as before, or replaced when not.
  function patchChildren(old, next, live) {
    var o = Array.prototype.slice.call(old.childNodes);
    var n = Array.prototype.slice.call(next.childNodes);
    var l = Array.prototype.slice.call(live.childNodes);
    if (l.length !== o.length) return false;
    var start = 0;
    while (start < o.length && start < n.length && o[start].isEqualNode(n[start])) start++;
    var oldEnd = o.length, nextEnd = n.length;
    while (oldEnd > start && nextEnd > start && o[oldEnd - 1].isEqualNode(n[nextEnd - 1])) {
      oldEnd--;
      nextEnd--;
    }
    var i;
    if (sameKinds(o, n, start, oldEnd, nextEnd)) {
      for (i = start; i < oldEnd; i++) {
        if (!patch(o[i], n[i], l[i])) return false;
      }
      return true;
    }
    for (i = start; i < oldEnd; i++) {
      if (!l[i].isEqualNode(o[i])) return false; // a page script changed it
    }
    for (i = start; i < nextEnd; i++) {
      if (needsScript(n[i])) return false;
    }
    var before = l[oldEnd] || null;
    for (i = start; i < oldEnd; i++) live.removeChild(l[i]);
    for (i = start; i < nextEnd; i++) live.insertBefore(document.importNode(n[i], true), before);
    return true;
  }

  // Whether o[start..oldEnd] and n[start..nextEnd] are the same kinds of node in the same
  // order (text, comment, or elements of one name), so each can be patched from its pair.
  function sameKinds(o, n, start, oldEnd, nextEnd) {
    if (oldEnd !== nextEnd) return false;
    for (var i = start; i < oldEnd; i++) {
      if (o[i].nodeName !== n[i].nodeName) return false;
    }
    return true;
  }

  // A page that moved (its headline changed its URL) is shown at its new URL, when links
  // relative to the page would still resolve the same.
  function depth(url) {
    return new URL(url, location.href).pathname.split("/").length;
  }

  // The source of what the page shows: fetched once the page has loaded, and null when the
  // page cannot be updated in place (it is not a page of the site, or it changed meanwhile).
  var shown = new Promise(function (resolve) {
    if (document.readyState === "complete") resolve();
    else addEventListener("load", function () { resolve(); });
  }).then(function () {
    return fetchPage(location.href);
  }).then(function (page) {
    return page.build === build && !page.redirected ? page.doc : null;
  }).catch(function () {
    return null;
  });

  function update() {
    shown = shown.then(function (old) {
      if (!old) return reload();
      return fetchPage(location.href).then(function (page) {
        if (page.redirected && depth(page.url) !== depth(location.href)) {
          location.replace(page.url);
          return stopped;
        }
        if (!patch(old.documentElement, page.doc.documentElement, document.documentElement)) {
          return reload();
        }
        if (page.redirected) history.replaceState(history.state, "", page.url + location.hash);
        return page.doc;
      });
    }).catch(reload);
  }

  var lost = false;
  var events = new EventSource("/_qissa/reload");
  events.onmessage = function (e) {
    if (e.data === "update") update();
    else if (e.data === "reload") reload();
  };
  events.onerror = function () { lost = true; };
  events.onopen = function () { if (lost) reload(); };
})();
